/**
 * Who may import whom (dependency-cruiser). A violation fails `npm run lint` (and so
 * `npm test`) with the rule's name. The layers, lowest first; a layer imports only layers
 * below it (and itself):
 *
 *   model  <-  formats  <-  ingest, store  <-  query, analysis, report, custody, archive, enrich  <-  api  <-  cli, web, electron
 *
 * The renderer imports only the renderer and core/api: the contract as types, plus
 * core/api/reference-data.ts (pure functions the renderer shares with the core). No import cycles.
 */
const LAYERS = {
  model: '^core/(model/|version[.]ts$)',
  formats: '^core/formats/',
  ingestStore: '^core/(ingest|store)/',
  analysis: '^core/(query|analysis|report|custody|archive|enrich)/',
  api: '^core/api/',
  transports: '^(core/(cli|web)/|electron/)',
};
const above = (...names) => names.map((n) => LAYERS[n]);

module.exports = {
  forbidden: [
    {
      name: 'no-import-cycles',
      comment: 'A cycle means two modules are one: merge them, or move what both need below both.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'model-imports-only-model',
      comment: 'core/model holds types and pure helpers every layer uses; it depends on nothing of Flowcase.',
      severity: 'error',
      from: { path: LAYERS.model },
      to: { path: above('formats', 'ingestStore', 'analysis', 'api', 'transports') },
    },
    {
      name: 'formats-import-only-model',
      comment: 'Decoders know bytes and the flow model, not the case, the store or the API.',
      severity: 'error',
      from: { path: LAYERS.formats },
      to: { path: above('ingestStore', 'analysis', 'api', 'transports') },
    },
    {
      name: 'ingest-store-import-only-formats-model',
      comment: 'Ingest and the store sit under the queries and analyses that read them.',
      severity: 'error',
      from: { path: LAYERS.ingestStore },
      to: { path: above('analysis', 'api', 'transports') },
    },
    {
      name: 'analysis-tier-imports-no-api',
      comment: 'query/analysis/report/custody/archive/enrich return values; the API maps them to the contract. Result types live here and the contract re-exports them.',
      severity: 'error',
      from: { path: LAYERS.analysis },
      to: { path: above('api', 'transports') },
    },
    {
      name: 'api-imports-no-transport',
      comment: 'The contract and its handlers know no transport: CLI, web and Electron import the API, never the reverse.',
      severity: 'error',
      from: { path: LAYERS.api },
      to: { path: LAYERS.transports },
    },
    {
      name: 'transports-stay-apart',
      comment: 'The CLI, the web mode and Electron are three thin transports over one service; none imports another.',
      severity: 'error',
      from: { path: '^(core/(cli|web)|electron)/' },
      to: { path: '^(core/(cli|web)|electron)/', pathNot: '^$1/' },
    },
    {
      name: 'core-imports-no-ui',
      comment: 'core/ runs in Node for the CLI, the web mode and Electron alike: no Electron, React, d3, TanStack or renderer code.',
      severity: 'error',
      from: { path: '^core/' },
      to: { path: ['^renderer/', '^electron/', '(^|/)node_modules/(@types/)?(electron|react|react-dom|d3|d3-[^/]+|@tanstack/[^/]+)/'] },
    },
    {
      name: 'renderer-imports-only-core-api',
      comment: 'The renderer knows the contract and nothing else of core/: pure helpers it shares with the core come through core/api/reference-data.ts.',
      severity: 'error',
      from: { path: '^renderer/' },
      to: { path: '^(core|electron)/', pathNot: '^core/api/(contract([.]ts$|/)|reference-data[.]ts$)' },
    },
    {
      name: 'renderer-imports-contract-as-types',
      comment: "The contract's runtime part is its zod schemas: a value import would put the core's validation into the bundle.",
      severity: 'error',
      from: { path: '^renderer/' },
      to: { path: '^core/api/contract', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'renderer-imports-no-node',
      comment: 'The renderer runs in a sandboxed page: no Node built-ins.',
      severity: 'error',
      from: { path: '^renderer/' },
      to: { dependencyTypes: ['core'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|[.]tsbuild)/' },
    // Type-only imports count: a cycle through types is still a cycle for a reader.
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js', '.mjs', '.json'] },
    moduleSystems: ['es6', 'cjs'],
  },
};
