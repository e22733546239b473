/** The languages the server analyses; package.json activates the extension on the same ones. */
export const LANGUAGES = ['sql', 'typescript', 'typescriptreact', 'javascript', 'javascriptreact'] as const;
