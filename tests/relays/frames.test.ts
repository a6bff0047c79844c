import { describe, expect, it } from 'vitest';
import { parseRelayFrame } from '../../electron/relays/frames';

describe('parseRelayFrame', () => {
  it('passes the event text through exactly as sent, whitespace and escapes included', () => {
    const eventText = '{ "id":"ab", "content":"say \\"hi\\" ]\\\\", "tags":[["d","x,y"]] }';
    const frame = `[ "EVENT" ,\n "sub\\"1" ,  ${eventText}  ]`;
    expect(parseRelayFrame(frame)).toEqual({ type: 'EVENT', subscriptionId: 'sub"1', eventText });
  });

  it('recognises every relay verb', () => {
    expect(parseRelayFrame('["OK","abc",true,""]')).toEqual({ type: 'OK', eventId: 'abc', accepted: true, message: '' });
    expect(parseRelayFrame('["OK","abc",false,"blocked: no"]')).toMatchObject({ accepted: false, message: 'blocked: no' });
    expect(parseRelayFrame('["OK","abc",true]')).toMatchObject({ type: 'OK', message: '' });
    expect(parseRelayFrame('["EOSE","s"]')).toEqual({ type: 'EOSE', subscriptionId: 's' });
    expect(parseRelayFrame('["CLOSED","s","auth-required: x"]')).toEqual({ type: 'CLOSED', subscriptionId: 's', message: 'auth-required: x' });
    expect(parseRelayFrame('["NOTICE","hello"]')).toEqual({ type: 'NOTICE', message: 'hello' });
    expect(parseRelayFrame('["AUTH","challenge"]')).toEqual({ type: 'AUTH', challenge: 'challenge' });
  });

  it('ignores anything malformed', () => {
    const bad = [
      'not json',
      '{}',
      '[]',
      'null',
      '[1]',
      '["OK"]',
      '["OK","abc","true",""]',
      '["OK","abc",true,7]',
      '["OK",1,true,""]',
      '["EVENT","s"]',
      '["EVENT","s",[]]',
      '["EVENT","s",null]',
      '["EVENT","s",{},{}]',
      '["EVENT",1,{}]',
      '["EOSE"]',
      '["CLOSED",1]',
      '["NOTICE",{}]',
      '["AUTH",5]',
      '["HELLO"]',
    ];
    for (const frame of bad) expect(parseRelayFrame(frame).type, frame).toBe('ignored');
  });
});
