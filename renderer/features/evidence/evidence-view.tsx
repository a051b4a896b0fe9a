import type { CaseInfo } from '../../../core/api/contract';
import { useApiQuery } from '../../lib/hooks';
import { ImportPanel } from '../import/import-panel';
import type { Importer } from '../import/use-import';
import { CustodyPanel } from './custody-panel';
import { EvidenceList } from './evidence-list';

/** The evidence page: import on top, what the case holds below. */
export function EvidenceView({ info, generation, importer, homeDir }: { info: CaseInfo; generation: string; importer: Importer; homeDir: string | null }) {
  const evidence = useApiQuery('evidence.list', {}, generation);
  return (
    <div className="page evidence-page">
      <ImportPanel importer={importer} casePath={info.path} homeDir={homeDir} readOnly={info.readOnly} />
      <CustodyPanel generation={generation} derivedStale={info.derivedStale} />
      <EvidenceList evidence={evidence.data} error={evidence.error} />
    </div>
  );
}
