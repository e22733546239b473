import packageJson from '../../../package.json';

/** The product's name, version and where its documentation lives, as printed by the CLI and in SARIF. */
export const PRODUCT_NAME = 'pglens';

export const PRODUCT_VERSION: string = packageJson.version;

const manifest = packageJson as { repository?: string | { url?: string } };

/**
 * The source repository (the manifest's `repository`), where `docs/` is published; undefined while the
 * manifest names none, so output never points at an address that may not exist.
 */
export const REPOSITORY_URL: string | undefined = repositoryUrl(manifest.repository);

/** The page that documents a rule: `docs/rules/<code>.md` in the repository, when it is known. */
export function ruleHelpUri(code: string): string | undefined {
  return REPOSITORY_URL && `${REPOSITORY_URL}/blob/main/docs/rules/${encodeURIComponent(code)}.md`;
}

function repositoryUrl(repository: string | { url?: string } | undefined): string | undefined {
  const url = typeof repository === 'string' ? repository : repository?.url;
  return url?.replace(/^git\+/, '').replace(/\.git$/, '').replace(/\/+$/, '');
}
