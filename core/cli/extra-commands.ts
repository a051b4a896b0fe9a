/**
 * Subcommands that live beside their feature (pivot, sessions, ...) register themselves
 * here with registerCommand, so main.ts stays the spine.
 */
export {};
