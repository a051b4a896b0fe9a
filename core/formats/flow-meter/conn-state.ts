import type { Conn } from './conn';
import { TcpState } from './tcp-endpoint';

/** Zeek's `conn_state()` (scripts/base/protocols/conn/main.zeek), from the endpoint states. */
export function connState(c: Conn): string {
  if (c.proto === 6) {
    const os = c.orig.state;
    const rs = c.resp.state;
    const oInactive = os === TcpState.Inactive || os === TcpState.Partial;
    const rInactive = rs === TcpState.Inactive || rs === TcpState.Partial;
    if (rs === TcpState.Reset) {
      if (os === TcpState.SynSent || os === TcpState.SynAckSent || (os === TcpState.Reset && c.orig.size(c.resp) === 0 && c.resp.size(c.orig) === 0)) return 'REJ';
      return oInactive ? 'RSTRH' : 'RSTR';
    }
    if (os === TcpState.Reset) {
      if (rInactive) return /^\^?S[^HAFGIQ]*R/.test(c.history) ? 'RSTOS0' : 'OTH';
      return 'RSTO';
    }
    if (rs === TcpState.Closed && os === TcpState.Closed) return 'SF';
    if (os === TcpState.Closed) return rInactive ? 'SH' : 'S2';
    if (rs === TcpState.Closed) return oInactive ? 'SHR' : 'S3';
    if (os === TcpState.SynSent && rs === TcpState.Inactive) return 'S0';
    if (os === TcpState.Established && rs === TcpState.Established) return 'S1';
    return 'OTH';
  }
  if (c.proto === 17) {
    // UDP endpoints are active once they sent a datagram (request_len/reply_len >= 0).
    if (c.orig.len >= 0) return c.resp.len >= 0 ? 'SF' : 'S0';
    return c.resp.len >= 0 ? 'SHR' : 'OTH';
  }
  return 'OTH';
}
