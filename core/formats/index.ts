/**
 * Loads every format into the registry. Import this module (not the registry alone)
 * wherever files are decoded.
 */
import { registerLoader } from './registry';
import { zeekConnLoader } from './zeek/zeek-conn-loader';
import { zeekDnsLoader } from './zeek/zeek-dns-loader';
import { zeekHttpLoader } from './zeek/zeek-http-loader';
import { zeekSslLoader } from './zeek/zeek-ssl-loader';
import { vpcFlowLoader } from './vpc-flow/vpc-flow-loader';
import { ipauditLoader } from './ipaudit/ipaudit-loader';
import { csvLoader } from './csv/csv-loader';
import { nfcapdLoader } from './nfcapd/nfcapd-loader';
import { flowToolsLoader } from './flow-tools/flow-tools-loader';
import { argusLoader } from './argus/argus-loader';
import { argusCsvLoader } from './argus-csv/argus-csv-loader';
import { netflowV5Loader } from './netflow-v5/netflow-v5-loader';
import { netflowV9Loader } from './netflow-v9/netflow-v9-loader';
import { ipfixLoader } from './ipfix/ipfix-loader';
import { netflowPcapLoader } from './netflow-pcap/netflow-pcap-loader';
import { pcapLoader } from './pcap/pcap-loader';
import { pcapngLoader } from './pcapng/pcapng-loader';

const loaders: import('./decoder').FormatLoader[] = [
  // Each format folder exports its loader; add new ones here.
  zeekConnLoader,
  zeekDnsLoader,
  zeekSslLoader,
  zeekHttpLoader,
  vpcFlowLoader,
  ipauditLoader,
  csvLoader,
  nfcapdLoader,
  flowToolsLoader,
  argusLoader,
  argusCsvLoader,
  netflowPcapLoader,
  netflowV5Loader,
  netflowV9Loader,
  ipfixLoader,
  pcapLoader,
  pcapngLoader,
];
for (const l of loaders) registerLoader(l);

export { LOADERS, describeFormats, loaderById, sniffFormat, type FormatDescription } from './registry';
