import { test } from 'vitest';
import { SyntheticCase, F } from './synthetic-case';
import { rebuildSessions } from '../../../../core/analysis/sessions/rebuild-sessions';
test('quick', async () => {
  const c = await SyntheticCase.create();
  const A = '10.0.0.1', B = '10.0.0.2';
  await c.addEvidence('nfcapd', [
    { src: A, dst: B, sp: 40000, dp: 80, t0: 100, t1: 101, pkts: 5, flags: F.SYN|F.ACK|F.PSH|F.FIN },
    { src: B, dst: A, sp: 80, dp: 40000, t0: 100.01, t1: 101, pkts: 4, flags: F.SYN|F.ACK|F.PSH|F.FIN },
    { src: A, dst: B, sp: 40001, dp: 80, t0: 200, pkts: 1, flags: F.SYN },
    { src: B, dst: A, sp: 80, dp: 40001, t0: 200.01, pkts: 1, flags: F.RST|F.ACK },
    { src: A, dst: B, sp: 40001, dp: 80, t0: 203, pkts: 1, flags: F.SYN },
    { src: A, dst: B, sp: 5353, dp: 53, proto: 17, t0: 300, pkts: 1 },
  ]);
  console.log(await rebuildSessions(c.store));
  console.log(await c.store.all(`select orig_h, orig_p, resp_h, resp_p, proto, conn_state, history, orig_pkts, resp_pkts, direction_inferred di, state_confidence, flow_ids::VARCHAR f from sessions_v order by start_time`));
  c.close();
});
