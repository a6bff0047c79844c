import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { adoptTokenFromLocation } from './api/transport';
import { App } from './App';
import { initTheme } from './lib/theme';
import './styles/theme.css';
import './styles/app.css';

// Before React reads the hash for routing: the browser-mode token must leave the URL first.
adoptTokenFromLocation();
initTheme();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
