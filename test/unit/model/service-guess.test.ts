import { describe, expect, it } from 'vitest';
import { servicePortName } from '../../../core/model/service-ports';
import { serviceGuess } from '../../../renderer/features/sessions/session-columns';

describe('the Service column of pcap sessions: a port-based guess where nothing detected the protocol', () => {
  it('names the usual service of the responder port (the overview names it the same way)', () => {
    expect(servicePortName(6, 22)).toBe('ssh');
    expect(servicePortName(17, 53)).toBe('dns');
    expect(servicePortName(6, 40000)).toBeNull();
    expect(serviceGuess({ service: null, ipProto: 6, respP: 22 })).toBe('ssh');
    expect(serviceGuess({ service: null, ipProto: 6, respP: 443 })).toBe('https');
  });
  it('a service the source named (Zeek) stays, with no guess; an unknown port has none', () => {
    expect(serviceGuess({ service: 'ssh', ipProto: 6, respP: 22 })).toBeNull();
    expect(serviceGuess({ service: null, ipProto: 6, respP: 40001 })).toBeNull();
  });
});
