/** Written into every evidence row so a reader knows which decoder produced it. */
export const TOOL_VERSION = 'flowcase 0.1.0';
