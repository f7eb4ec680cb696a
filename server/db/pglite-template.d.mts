// Types of pglite-template.mjs (plain JavaScript, run by pglite-init.mjs under plain node).
export declare const PGLITE_TEMPLATE: string;
export declare function createFromTemplate(dataDir: string, template?: string): Promise<boolean>;
