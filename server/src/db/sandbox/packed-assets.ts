import type { PGliteOptions } from '@electric-sql/pglite';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { brotliDecompress } from 'node:zlib';

const unbrotli = promisify(brotliDecompress);

type PackedOptions = Required<Pick<PGliteOptions, 'pgliteWasmModule' | 'initdbWasmModule' | 'fsBundle'>>;

/**
 * PGlite's files as the .vsix stores them beside the bundle, brotli-compressed (`pglite.wasm.br`,
 * `initdb.wasm.br`, `pglite.data.br`; scripts/pglite-assets.mjs), expanded in memory into the options
 * that make PGlite use them. Undefined when they are not there (a development build, the sources):
 * PGlite then loads its own files. A damaged file rejects, and the sandbox reports it cannot start.
 */
export async function packedPgliteOptions(dir: string): Promise<PackedOptions | undefined> {
  const packed = (name: string) => join(dir, `${name}.br`);
  if (!existsSync(packed('pglite.wasm'))) return undefined;
  const expand = async (name: string) => unbrotli(await readFile(packed(name)));
  const [wasm, initdb, image] = await Promise.all([expand('pglite.wasm'), expand('initdb.wasm'), expand('pglite.data')]);
  const [pgliteWasmModule, initdbWasmModule] = await Promise.all([WebAssembly.compile(wasm), WebAssembly.compile(initdb)]);
  return { pgliteWasmModule, initdbWasmModule, fsBundle: new Blob([image]) };
}
