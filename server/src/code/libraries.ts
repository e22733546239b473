import { BOUND, CALL, CALLBACK_PARAM, NEW, TAG, type Lib, type Token } from './values';

/**
 * What each database library's API does, as a small state machine over roles: a value in role `pool`
 * given `.query` then `()` reaches the database. Roles named here:
 * - `query`: the database was reached (an eager call, or a consumed thenable builder);
 * - `query?sql`: reached only if the call's first argument is SQL text (the name-based fallback);
 * - `result`, `text`: plain values, nothing more to follow.
 *
 * Member specs read `'()R'` (a method whose call yields role R), `'()R/C'` (the same, and a callback
 * passed to it receives a handle in role C: transactions) or `'R'` (a property in role R).
 */
export const QUERY = 'query';
export const QUERY_IF_SQL = 'query?sql';

interface RoleSpec {
  members?: Record<string, string>;
  /** Spec for any member not listed. */
  otherMembers?: string;
  call?: string;
  tag?: string;
  construct?: string;
}

export interface LibraryModel {
  lib: Lib;
  /** Role of each importable name (`default` and `*` for the module itself). */
  imports: Record<string, string>;
  /** Role of a value whose declared type is this name (`Knex.Transaction` for qualified names). */
  types: Record<string, string>;
  roles: Record<string, RoleSpec>;
  /** Builders that run when awaited (thenables): the query happens where the chain is consumed. */
  thenable: ReadonlySet<string>;
  /** What a class extending a value in this role is: its statics and its instances. */
  subclass?: Record<string, { statics?: string; instances?: string }>;
  /** The role a handle guessed from its name takes (`db`, `pool`…) in a file importing this library. */
  handle: string;
}

const PG_CALL_QUERY = { query: `${CALL}${QUERY}` };

const pg: LibraryModel = {
  lib: 'pg',
  imports: { default: 'module', '*': 'module', Pool: 'PoolCtor', Client: 'ClientCtor', native: 'module' },
  types: { Pool: 'pool', PoolClient: 'client', Client: 'client', ClientBase: 'client', 'pg.Pool': 'pool' },
  roles: {
    module: { members: { Pool: 'PoolCtor', Client: 'ClientCtor', native: 'module' } },
    PoolCtor: { construct: 'pool' },
    ClientCtor: { construct: 'client' },
    pool: { members: { ...PG_CALL_QUERY, connect: `${CALL}client` } },
    client: { members: PG_CALL_QUERY },
  },
  thenable: new Set(),
  handle: 'pool',
};

/** `postgres` (porsager): the `sql` tag runs when awaited; `sql(…)` and nested sql`…` are fragments. */
const postgres: LibraryModel = {
  lib: 'postgres',
  imports: { default: 'factory', '*': 'factory', postgres: 'factory' },
  types: { Sql: 'sql', TransactionSql: 'sql', ReservedSql: 'sql' },
  roles: {
    factory: { call: 'sql' },
    sql: {
      tag: 'pending',
      call: 'result',
      members: {
        unsafe: `${CALL}pending`,
        file: `${CALL}pending`,
        begin: `${CALL}result/sql`,
        savepoint: `${CALL}result/sql`,
        reserve: `${CALL}sql`,
        notify: `${CALL}${QUERY}`,
      },
    },
    pending: {
      members: { then: `${CALL}${QUERY}`, catch: `${CALL}${QUERY}`, finally: `${CALL}${QUERY}` },
      otherMembers: `${CALL}pending`,
    },
  },
  thenable: new Set(['pending']),
  handle: 'sql',
};

/**
 * `@vercel/postgres` and `@neondatabase/serverless`: pg-compatible pools and clients, and an eager
 * `sql` tag (from `neon()`, or imported) whose values are bound as ordinary parameters.
 */
const pgServerless: LibraryModel = {
  lib: 'pg-serverless',
  imports: { sql: 'sql', db: 'pool', createPool: 'poolFactory', createClient: 'clientFactory', neon: 'sqlFactory', Pool: 'PoolCtor', Client: 'ClientCtor' },
  types: { Pool: 'pool', PoolClient: 'client', Client: 'client', VercelPool: 'pool', VercelClient: 'client', NeonQueryFunction: 'sql' },
  roles: {
    ...pg.roles,
    poolFactory: { call: 'pool' },
    clientFactory: { call: 'client' },
    sqlFactory: { call: 'sql' },
    sql: { tag: QUERY, call: QUERY, members: { query: `${CALL}${QUERY}`, transaction: `${CALL}${QUERY}` } },
    pool: { members: { ...PG_CALL_QUERY, sql: 'sql', connect: `${CALL}client` } },
    client: { members: { ...PG_CALL_QUERY, sql: 'sql' } },
  },
  thenable: new Set(),
  handle: 'pool',
};

const SLONIK_QUERIES = ['query', 'one', 'many', 'maybeOne', 'any', 'anyFirst', 'oneFirst', 'maybeOneFirst', 'manyFirst', 'exists', 'stream', 'copyFromBinary'];

const slonik: LibraryModel = {
  lib: 'slonik',
  imports: { createPool: 'factory' },
  types: {
    DatabasePool: 'pool',
    DatabaseConnection: 'pool',
    DatabasePoolConnection: 'pool',
    DatabaseTransactionConnection: 'pool',
    CommonQueryMethods: 'pool',
  },
  roles: {
    factory: { call: 'pool' },
    pool: {
      members: {
        ...Object.fromEntries(SLONIK_QUERIES.map((name) => [name, `${CALL}${QUERY}`])),
        connect: `${CALL}result/pool`,
        transaction: `${CALL}result/pool`,
      },
    },
  },
  thenable: new Set(),
  handle: 'pool',
};

const KYSELY_STARTS = ['selectFrom', 'insertInto', 'updateTable', 'deleteFrom', 'replaceInto', 'mergeInto', 'with', 'withRecursive', 'selectNoFrom'];
const KYSELY_RUNS = ['execute', 'executeTakeFirst', 'executeTakeFirstOrThrow', 'stream'];

const kysely: LibraryModel = {
  lib: 'kysely',
  imports: { Kysely: 'KyselyCtor', sql: 'sqlTag' },
  types: { Kysely: 'db', Transaction: 'db', ControlledTransaction: 'db' },
  roles: {
    KyselyCtor: { construct: 'db' },
    db: {
      members: {
        ...Object.fromEntries(KYSELY_STARTS.map((name) => [name, `${CALL}builder`])),
        executeQuery: `${CALL}${QUERY}`,
        transaction: `${CALL}txBuilder`,
        connection: `${CALL}txBuilder`,
        startTransaction: `${CALL}txBuilder`,
        withSchema: `${CALL}db`,
        withPlugin: `${CALL}db`,
      },
    },
    txBuilder: { members: { execute: `${CALL}db/db` }, otherMembers: `${CALL}txBuilder` },
    builder: {
      members: {
        ...Object.fromEntries(KYSELY_RUNS.map((name) => [name, `${CALL}${QUERY}`])),
        compile: `${CALL}text`,
        toOperationNode: `${CALL}text`,
      },
      otherMembers: `${CALL}builder`,
    },
    sqlTag: { tag: 'raw', otherMembers: `${CALL}raw` },
    raw: { members: { execute: `${CALL}${QUERY}`, compile: `${CALL}text` }, otherMembers: `${CALL}raw` },
  },
  thenable: new Set(),
  handle: 'db',
};

const knex: LibraryModel = {
  lib: 'knex',
  imports: { default: 'factory', '*': 'factory', knex: 'factory', Knex: 'factory' },
  types: { Knex: 'knex', 'Knex.Transaction': 'knex', 'Knex.QueryBuilder': 'builder', Transaction: 'knex', QueryBuilder: 'builder' },
  roles: {
    factory: { call: 'knex' },
    knex: {
      call: 'builder',
      members: {
        raw: `${CALL}builder`,
        transaction: `${CALL}knex/knex`,
        transactionProvider: `${CALL}result`,
        schema: 'builder',
        fn: 'result',
        ref: `${CALL}result`,
        commit: `${CALL}result`,
        rollback: `${CALL}result`,
        destroy: `${CALL}result`,
        client: 'result',
        isTransaction: 'result',
      },
      otherMembers: `${CALL}builder`,
    },
    builder: {
      members: {
        then: `${CALL}${QUERY}`,
        catch: `${CALL}${QUERY}`,
        finally: `${CALL}${QUERY}`,
        stream: `${CALL}${QUERY}`,
        toSQL: `${CALL}text`,
        toString: `${CALL}text`,
        toQuery: `${CALL}text`,
        toNative: `${CALL}text`,
      },
      otherMembers: `${CALL}builder`,
    },
  },
  thenable: new Set(['builder']),
  handle: 'knex',
};

const drizzle: LibraryModel = {
  lib: 'drizzle',
  imports: { drizzle: 'factory' },
  types: {
    NodePgDatabase: 'db',
    PostgresJsDatabase: 'db',
    PgDatabase: 'db',
    NeonHttpDatabase: 'db',
    NeonDatabase: 'db',
    VercelPgDatabase: 'db',
    PgTransaction: 'db',
    PgliteDatabase: 'db',
  },
  roles: {
    factory: { call: 'db' },
    db: {
      members: {
        select: `${CALL}builder`,
        selectDistinct: `${CALL}builder`,
        selectDistinctOn: `${CALL}builder`,
        insert: `${CALL}builder`,
        update: `${CALL}builder`,
        delete: `${CALL}builder`,
        with: `${CALL}db`,
        $with: `${CALL}result`,
        $count: `${CALL}builder`,
        execute: `${CALL}builder`,
        query: 'relational',
        transaction: `${CALL}result/db`,
        batch: `${CALL}${QUERY}`,
      },
    },
    relational: { otherMembers: 'relationalTable' },
    relationalTable: { members: { findFirst: `${CALL}builder`, findMany: `${CALL}builder` } },
    builder: {
      members: {
        then: `${CALL}${QUERY}`,
        catch: `${CALL}${QUERY}`,
        finally: `${CALL}${QUERY}`,
        execute: `${CALL}${QUERY}`,
        prepare: `${CALL}prepared`,
        toSQL: `${CALL}text`,
        getSQL: `${CALL}text`,
        as: `${CALL}result`,
      },
      otherMembers: `${CALL}builder`,
    },
    prepared: {
      members: { execute: `${CALL}${QUERY}`, all: `${CALL}${QUERY}`, get: `${CALL}${QUERY}`, values: `${CALL}${QUERY}`, run: `${CALL}${QUERY}` },
    },
  },
  thenable: new Set(['builder']),
  handle: 'db',
};

const PRISMA_MODEL_QUERIES = [
  'findUnique',
  'findUniqueOrThrow',
  'findFirst',
  'findFirstOrThrow',
  'findMany',
  'create',
  'createMany',
  'createManyAndReturn',
  'update',
  'updateMany',
  'updateManyAndReturn',
  'upsert',
  'delete',
  'deleteMany',
  'count',
  'aggregate',
  'groupBy',
  'findRaw',
  'aggregateRaw',
];

const prisma: LibraryModel = {
  lib: 'prisma',
  imports: { PrismaClient: 'PrismaCtor' },
  types: { PrismaClient: 'client', 'Prisma.TransactionClient': 'client', TransactionClient: 'client' },
  roles: {
    PrismaCtor: { construct: 'client' },
    client: {
      members: {
        $queryRaw: `${CALL}${QUERY}`,
        $executeRaw: `${CALL}${QUERY}`,
        $queryRawUnsafe: `${CALL}${QUERY}`,
        $executeRawUnsafe: `${CALL}${QUERY}`,
        $queryRawTyped: `${CALL}${QUERY}`,
        $runCommandRaw: `${CALL}${QUERY}`,
        $transaction: `${CALL}result/client`,
        $extends: `${CALL}client`,
        $connect: `${CALL}result`,
        $disconnect: `${CALL}result`,
        $on: `${CALL}result`,
        $use: `${CALL}result`,
      },
      otherMembers: 'model',
    },
    model: { members: Object.fromEntries(PRISMA_MODEL_QUERIES.map((name) => [name, `${CALL}${QUERY}`])) },
  },
  thenable: new Set(),
  // `class PrismaService extends PrismaClient` (the NestJS pattern).
  subclass: { PrismaCtor: { instances: 'client' } },
  handle: 'client',
};

const TYPEORM_ENTITY_QUERIES = [
  'find',
  'findBy',
  'findOne',
  'findOneBy',
  'findOneOrFail',
  'findOneByOrFail',
  'findAndCount',
  'findAndCountBy',
  'findByIds',
  'count',
  'countBy',
  'exist',
  'exists',
  'existsBy',
  'save',
  'insert',
  'update',
  'upsert',
  'delete',
  'remove',
  'softDelete',
  'softRemove',
  'restore',
  'recover',
  'increment',
  'decrement',
  'sum',
  'average',
  'minimum',
  'maximum',
  'preload',
  'clear',
  'query',
];
const TYPEORM_QB_RUNS = ['getMany', 'getOne', 'getOneOrFail', 'getRawMany', 'getRawOne', 'getManyAndCount', 'getCount', 'getExists', 'execute', 'stream', 'getRawAndEntities'];
const typeormQueries = Object.fromEntries(TYPEORM_ENTITY_QUERIES.map((name) => [name, `${CALL}${QUERY}`]));

const typeorm: LibraryModel = {
  lib: 'typeorm',
  imports: {
    DataSource: 'DataSourceCtor',
    Connection: 'DataSourceCtor',
    getRepository: `${CALL}repo`,
    getManager: `${CALL}manager`,
    getConnection: `${CALL}ds`,
    BaseEntity: 'BaseEntity',
    Repository: 'RepositoryBase',
  },
  types: {
    DataSource: 'ds',
    Connection: 'ds',
    EntityManager: 'manager',
    Repository: 'repo',
    TreeRepository: 'repo',
    MongoRepository: 'repo',
    QueryRunner: 'runner',
    SelectQueryBuilder: 'qb',
    QueryBuilder: 'qb',
    UpdateQueryBuilder: 'qb',
    DeleteQueryBuilder: 'qb',
    InsertQueryBuilder: 'qb',
  },
  roles: {
    DataSourceCtor: { construct: 'ds' },
    ds: {
      members: {
        getRepository: `${CALL}repo`,
        getTreeRepository: `${CALL}repo`,
        getMongoRepository: `${CALL}repo`,
        manager: 'manager',
        query: `${CALL}${QUERY}`,
        transaction: `${CALL}result/manager`,
        createQueryBuilder: `${CALL}qb`,
        createQueryRunner: `${CALL}runner`,
      },
    },
    manager: {
      members: {
        ...typeormQueries,
        getRepository: `${CALL}repo`,
        getTreeRepository: `${CALL}repo`,
        transaction: `${CALL}result/manager`,
        createQueryBuilder: `${CALL}qb`,
      },
    },
    repo: { members: { ...typeormQueries, createQueryBuilder: `${CALL}qb`, manager: 'manager' } },
    runner: { members: { query: `${CALL}${QUERY}`, manager: 'manager' } },
    qb: {
      members: {
        ...Object.fromEntries(TYPEORM_QB_RUNS.map((name) => [name, `${CALL}${QUERY}`])),
        getQuery: `${CALL}text`,
        getSql: `${CALL}text`,
        getParameters: `${CALL}text`,
        getQueryAndParameters: `${CALL}text`,
      },
      otherMembers: `${CALL}qb`,
    },
    entityClass: { members: { ...typeormQueries, createQueryBuilder: `${CALL}qb` } },
    entity: {
      members: { save: `${CALL}${QUERY}`, remove: `${CALL}${QUERY}`, softRemove: `${CALL}${QUERY}`, recover: `${CALL}${QUERY}`, reload: `${CALL}${QUERY}` },
    },
  },
  thenable: new Set(),
  subclass: {
    BaseEntity: { statics: 'entityClass', instances: 'entity' },
    RepositoryBase: { instances: 'repo' },
  },
  handle: 'manager',
};

const SEQUELIZE_STATIC_QUERIES = [
  'findAll',
  'findOne',
  'findByPk',
  'findOrCreate',
  'findAndCountAll',
  'findCreateFind',
  'count',
  'create',
  'bulkCreate',
  'update',
  'destroy',
  'upsert',
  'max',
  'min',
  'sum',
  'increment',
  'decrement',
  'restore',
  'truncate',
  'aggregate',
];

const sequelize: LibraryModel = {
  lib: 'sequelize',
  imports: { Sequelize: 'SequelizeCtor', default: 'SequelizeCtor', Model: 'ModelBase' },
  types: { Sequelize: 'seq', ModelStatic: 'modelClass', ModelCtor: 'modelClass' },
  roles: {
    SequelizeCtor: { construct: 'seq' },
    seq: {
      members: {
        query: `${CALL}${QUERY}`,
        transaction: `${CALL}result`,
        define: `${CALL}modelClass`,
        model: `${CALL}modelClass`,
        models: 'models',
      },
    },
    models: { otherMembers: 'modelClass' },
    modelClass: {
      members: Object.fromEntries(SEQUELIZE_STATIC_QUERIES.map((name) => [name, `${CALL}${QUERY}`])),
      construct: 'instance',
    },
    instance: {
      members: {
        save: `${CALL}${QUERY}`,
        reload: `${CALL}${QUERY}`,
        destroy: `${CALL}${QUERY}`,
        update: `${CALL}${QUERY}`,
        increment: `${CALL}${QUERY}`,
        decrement: `${CALL}${QUERY}`,
        restore: `${CALL}${QUERY}`,
      },
    },
  },
  thenable: new Set(),
  subclass: { ModelBase: { statics: 'modelClass', instances: 'instance' } },
  handle: 'seq',
};

const PG_PROMISE_QUERIES = ['query', 'none', 'one', 'many', 'oneOrNone', 'manyOrNone', 'any', 'result', 'multi', 'multiResult', 'func', 'proc', 'map', 'each', 'stream'];

const pgPromise: LibraryModel = {
  lib: 'pg-promise',
  imports: { default: 'init', '*': 'init' },
  types: { IDatabase: 'db', ITask: 'db', IBaseProtocol: 'db' },
  roles: {
    init: { call: 'pgp' },
    pgp: { call: 'db' },
    db: {
      members: {
        ...Object.fromEntries(PG_PROMISE_QUERIES.map((name) => [name, `${CALL}${QUERY}`])),
        task: `${CALL}result/db`,
        tx: `${CALL}result/db`,
        taskIf: `${CALL}result/db`,
        txIf: `${CALL}result/db`,
      },
    },
  },
  thenable: new Set(),
  handle: 'db',
};

/**
 * The fallback for handles whose library is unknown (an untyped `db` parameter in a file that imports
 * no database library): a query-like method counts only when its first argument is SQL text.
 */
const GENERIC_SQL_METHODS = ['query', 'execute', 'one', 'many', 'any', 'none', 'oneOrNone', 'manyOrNone', 'all', 'get', 'run', 'unsafe', 'raw', 'exec'];

const generic: LibraryModel = {
  lib: 'generic',
  imports: {},
  types: {},
  roles: {
    handle: { members: Object.fromEntries(GENERIC_SQL_METHODS.map((name) => [name, `${CALL}${QUERY_IF_SQL}`])) },
  },
  thenable: new Set(),
  handle: 'handle',
};

export const GENERIC_SQL_METHOD_NAMES: ReadonlySet<string> = new Set(GENERIC_SQL_METHODS);

export const LIBRARIES: Record<Lib, LibraryModel> = {
  pg,
  postgres,
  slonik,
  kysely,
  knex,
  prisma,
  drizzle,
  typeorm,
  sequelize,
  'pg-promise': pgPromise,
  'pg-serverless': pgServerless,
  generic,
};

/** The library a module specifier belongs to, or undefined for anything else. */
export function libraryOfModule(specifier: string): LibraryModel | undefined {
  switch (specifier) {
    case 'pg':
    case 'pg-pool':
      return pg;
    case 'postgres':
      return postgres;
    case '@vercel/postgres':
    case '@neondatabase/serverless':
      return pgServerless;
    case 'slonik':
      return slonik;
    case 'kysely':
      return kysely;
    case 'knex':
      return knex;
    case 'typeorm':
      return typeorm;
    case 'sequelize':
    case 'sequelize-typescript':
      return sequelize;
    case 'pg-promise':
      return pgPromise;
    default:
      break;
  }
  if (specifier === 'drizzle-orm' || specifier.startsWith('drizzle-orm/')) return drizzle;
  if (specifier === '@prisma/client' || /(^|\/)(\.?prisma\/client|generated\/prisma)(\/|$)/.test(specifier)) return prisma;
  return undefined;
}

/** Which library a file most likely talks through, for handles known only by name: higher-level first. */
const GUESS_ORDER: Lib[] = ['prisma', 'drizzle', 'kysely', 'knex', 'typeorm', 'sequelize', 'slonik', 'postgres', 'pg-promise', 'pg-serverless', 'pg'];

export function guessLibrary(importedLibs: Iterable<Lib>): Lib {
  const present = new Set(importedLibs);
  return GUESS_ORDER.find((lib) => present.has(lib)) ?? 'generic';
}

/** Handle names the fallback recognises, with the library (and role) the name itself implies. */
export function libraryOfHandleName(name: string): { lib?: Lib; role?: string } | undefined {
  const lower = name.toLowerCase();
  if (lower === 'prisma' || lower === 'prismaclient') return { lib: 'prisma', role: 'client' };
  if (lower === 'knex') return { lib: 'knex', role: 'knex' };
  if (lower === 'sequelize') return { lib: 'sequelize', role: 'seq' };
  if (lower === 'datasource' || lower === 'appdatasource') return { lib: 'typeorm', role: 'ds' };
  if (lower === 'manager' || lower === 'entitymanager') return { lib: 'typeorm', role: 'manager' };
  if (/^(db|pool|client|conn|connection|database|pg|tx|trx|sql|dbclient|pgpool|pgclient)$/.test(lower)) return {};
  return undefined;
}

export interface StepOutcome {
  role: string;
  /** A callback passed to this call receives a handle in this role (transaction callbacks). */
  callbackRole?: string;
}

const PENDING = 'call:';

/** Applies one token to a value in `role`; undefined when the library has nothing to say. */
export function step(model: LibraryModel, role: string, token: Token): StepOutcome | undefined {
  if (role === QUERY || role === 'result' || role === 'text' || role === QUERY_IF_SQL) return undefined;
  if (role.startsWith(PENDING)) {
    if (token !== CALL && token !== TAG) return undefined;
    const [result, callback] = role.slice(PENDING.length).split('/');
    return { role: result, callbackRole: callback };
  }
  const spec = model.roles[role];
  if (!spec) return undefined;
  if (token === CALL) return spec.call ? { role: spec.call } : undefined;
  if (token === TAG) return spec.tag ? { role: spec.tag } : undefined;
  if (token === NEW) return spec.construct ? { role: spec.construct } : undefined;
  const member = spec.members?.[token] ?? (isPlainMember(token) ? spec.otherMembers : undefined);
  if (member === undefined) return undefined;
  return { role: member.startsWith(CALL) ? PENDING + member.slice(CALL.length) : member };
}

/** The callback role of a method before it is called, e.g. knex `transaction` → `knex`. */
export function callbackRoleOf(role: string): string | undefined {
  if (!role.startsWith(PENDING)) return undefined;
  return role.slice(PENDING.length).split('/')[1];
}

/** Import roles written as pending calls (`getRepository` imported from typeorm) start as such. */
export function importRole(model: LibraryModel, imported: string): string | undefined {
  const role = model.imports[imported];
  if (role === undefined) return undefined;
  return role.startsWith(CALL) ? PENDING + role.slice(CALL.length) : role;
}

function isPlainMember(token: Token): boolean {
  return token !== CALL && token !== TAG && token !== NEW && token !== CALLBACK_PARAM && token !== BOUND && !token.startsWith('[') && token !== 'bind' && token !== 'call' && token !== 'apply';
}
