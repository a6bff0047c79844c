export interface RelayServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export function startRelayServer(options?: { port?: number; file?: string }): Promise<RelayServer>;
