/**
 * A CloudBase environment in memory, typed as the deployer's CloudPort — i.e. with
 * @cloudbase/manager-node's own method signatures (scripts/deploy/cloud.ts), so `tsc` proves the
 * executor's calls match the library. The cloud itself cannot be reached from here: what is tested
 * is the executor against the library's interfaces, with the behaviour the notes describe
 * (re-creating an index drops it first; Create and Drop not in one call; environment variables
 * replace the whole set; one timer per function). Every call is recorded, writes flagged.
 */
import type { IApi } from '@cloudbase/manager-node/types/access/types';
import type { IFunctionInfo } from '@cloudbase/manager-node/types/function/types';
import type { MgoKeySchema } from '@cloudbase/manager-node/types/interfaces';
import type { AclType, IStorageAclRule } from '@cloudbase/manager-node/types/storage';
import type { CloudPort } from '../../scripts/deploy/cloud';

export interface FakeFunction {
  runtime: string;
  handler: string;
  timeout: number;
  memorySize: number;
  env: Record<string, string>;
  description: string;
  triggers: { name: string; cron: string }[];
  codeUploads: number;
}

export interface FakeIndex {
  keys: { Name: string; Direction: string }[];
  unique: boolean;
  sparse: boolean | undefined;
}

export interface FakeCollection {
  indexes: Map<string, FakeIndex>;
  rule: { AclTag: string; Rule?: string };
}

export interface Call {
  method: string;
  args: unknown[];
  write: boolean;
}

class CloudError extends Error {
  constructor(
    public code: string,
    message: string,
  ) {
    super(message);
  }
}

const ok = { RequestId: 'fake' };

export class FakeCloud implements CloudPort {
  calls: Call[] = [];
  fns = new Map<string, FakeFunction>();
  collections = new Map<string, FakeCollection>();
  storageAcl: { acl: AclType; rule?: IStorageAclRule } = { acl: 'PRIVATE' };
  routes: IApi[] = [];
  accessEnabled = true;
  /** `collection.index` of every index dropped by a re-creation. */
  dropped: string[] = [];

  private record(method: string, write: boolean, args: unknown[]) {
    this.calls.push({ method, args, write });
  }

  writes(): Call[] {
    return this.calls.filter((c) => c.write);
  }

  private fn(name: string): FakeFunction {
    const f = this.fns.get(name);
    if (!f) throw new CloudError('ResourceNotFound.Function', `function ${name} not found`);
    return f;
  }

  private coll(name: string): FakeCollection {
    const c = this.collections.get(name);
    if (!c) throw new CloudError('ResourceNotFound.Table', `collection ${name} does not exist`);
    return c;
  }

  detail(name: string): IFunctionInfo {
    const f = this.fn(name);
    return {
      FunctionName: name,
      FunctionId: `lam-${name}`,
      Runtime: f.runtime,
      Handler: f.handler,
      CodeSize: 1,
      Timeout: f.timeout,
      FunctionVersion: '$LATEST',
      MemorySize: f.memorySize,
      UseGpu: 'FALSE',
      CodeInfo: '',
      CodeResult: 'success',
      CodeError: '',
      ErrNo: 0,
      Role: 'TCB_QcsRole',
      InstallDependency: 'TRUE',
      AddTime: '2025-01-01 00:00:00',
      ModTime: '2025-01-01 00:00:00',
      Namespace: 'env',
      Status: 'Active',
      StatusDesc: '',
      Description: f.description,
      Tags: [],
      VpcConfig: {},
      Environment: { Variables: Object.entries(f.env).map(([Key, Value]) => ({ Key, Value })) },
      Type: 'Event',
      EipConfig: { EipFixed: 'FALSE', Eips: [] },
      PublicNetConfig: { PublicNetStatus: 'ENABLE', EipConfig: { EipStatus: 'DISABLE', EipAddress: [] } },
      // As SCF's GetFunction reports a timer: the cron inside a JSON TriggerDesc.
      Triggers: f.triggers.map((t) => ({
        Name: t.name,
        Type: 'timer',
        Config: t.cron,
        TriggerName: t.name,
        TriggerDesc: JSON.stringify({ cron: t.cron }),
      })),
      StatusReasons: [],
      RequestId: 'fake',
      Layers: [],
    };
  }

  functions: CloudPort['functions'] = {
    listAllFunctions: async (options) => {
      this.record('functions.listAllFunctions', false, [options]);
      return [...this.fns.entries()].map(([FunctionName, f]) => ({
        FunctionName,
        Runtime: f.runtime,
        Status: 'Active',
      }));
    },
    getFunctionDetail: async (name, codeSecret) => {
      this.record('functions.getFunctionDetail', false, [name, codeSecret]);
      return this.detail(name);
    },
    createFunction: async (param) => {
      this.record('functions.createFunction', true, [param]);
      const { func } = param;
      if (this.fns.has(func.name)) throw new CloudError('ResourceInUse.Function', `function ${func.name} exists`);
      if (!param.functionPath && !param.functionRootPath && !param.base64Code) throw new Error('no code');
      this.fns.set(func.name, {
        runtime: func.runtime || 'Nodejs20.19',
        handler: func.handler || 'index.main',
        timeout: func.timeout ?? 3,
        memorySize: func.memorySize ?? 256,
        env: Object.fromEntries(Object.entries(func.envVariables || {}).map(([k, v]) => [k, String(v)])),
        description: func.description || '',
        triggers: (func.triggers || []).map((t) => ({ name: t.name, cron: t.config })),
        codeUploads: 1,
      });
      return ok;
    },
    updateFunctionWithProgress: async (options) => {
      this.record('functions.updateFunctionWithProgress', true, [options]);
      const f = this.fn(options.name);
      if (options.code) {
        if (!options.code.functionPath) throw new Error('code without functionPath is ignored by manager-node');
        f.codeUploads++;
      }
      const c = options.config;
      if (c) {
        if (c.timeout !== undefined) f.timeout = c.timeout;
        if (c.memorySize !== undefined) f.memorySize = c.memorySize;
        if (c.description !== undefined) f.description = c.description;
        // UpdateFunctionConfiguration replaces the whole set (manager-node sends it only when non-empty).
        if (c.envVariables && Object.keys(c.envVariables).length) {
          f.env = Object.fromEntries(Object.entries(c.envVariables).map(([k, v]) => [k, String(v)]));
        }
      }
      return { elapsedTime: 0, message: 'ok', details: [] };
    },
    createFunctionTriggers: async (name, triggers) => {
      this.record('functions.createFunctionTriggers', true, [name, triggers]);
      const f = this.fn(name);
      for (const t of triggers || []) {
        if (t.type !== 'timer') throw new Error('timer only');
        if (f.triggers.some((x) => x.name === t.name))
          throw new CloudError('ResourceInUse.Trigger', `trigger ${t.name} exists`);
        if (f.triggers.length) throw new CloudError('LimitExceeded.Trigger', 'one timer per function');
        f.triggers.push({ name: t.name, cron: t.config });
      }
      return ok;
    },
    deleteFunctionTrigger: async (name, triggerName) => {
      this.record('functions.deleteFunctionTrigger', true, [name, triggerName]);
      const f = this.fn(name);
      f.triggers = f.triggers.filter((t) => t.name !== triggerName);
      return ok;
    },
  };

  database: CloudPort['database'] = {
    listCollections: async (options) => {
      this.record('database.listCollections', false, [options]);
      const all = [...this.collections.entries()];
      const offset = options?.MgoOffset ?? 0;
      const limit = options?.MgoLimit ?? 100;
      return {
        RequestId: 'fake',
        Collections: all.slice(offset, offset + limit).map(([name, c]) => ({
          TableName: name,
          CollectionName: name,
          Count: 0,
          Size: 0,
          IndexCount: c.indexes.size,
          IndexSize: 0,
        })),
        Pager: { Offset: offset, Limit: limit, Total: all.length },
      };
    },
    describeCollection: async (name) => {
      this.record('database.describeCollection', false, [name]);
      const c = this.coll(name);
      return {
        RequestId: 'fake',
        IndexNum: c.indexes.size,
        Indexes: [...c.indexes.entries()].map(([Name, i]) => ({
          Name,
          Size: 0,
          Keys: i.keys,
          Accesses: { Ops: 0, Since: '' },
          Unique: i.unique,
        })),
      };
    },
    createCollectionIfNotExists: async (name) => {
      const exists = this.collections.has(name);
      this.record('database.createCollectionIfNotExists', !exists, [name]);
      // A new collection starts with CloudBase's default rule, not ours.
      if (!exists) this.collections.set(name, { indexes: new Map(), rule: { AclTag: 'PRIVATE' } });
      return { RequestId: 'fake', IsCreated: !exists, ExistsResult: { RequestId: 'fake', Exists: exists } };
    },
    checkIndexExists: async (name, indexName) => {
      this.record('database.checkIndexExists', false, [name, indexName]);
      return { RequestId: 'fake', Exists: this.coll(name).indexes.has(indexName) };
    },
    updateCollection: async (name, info) => {
      this.record('database.updateCollection', true, [name, info]);
      const c = this.coll(name);
      if (info.CreateIndexes?.length && info.DropIndexes?.length) throw new Error('Create and Drop not in one call');
      for (const d of info.DropIndexes || []) c.indexes.delete(d.IndexName);
      for (const i of info.CreateIndexes || []) {
        // Re-creating an existing index drops it first (NOTES.md): the test asserts this never happens.
        if (c.indexes.has(i.IndexName)) this.dropped.push(`${name}.${i.IndexName}`);
        const schema: MgoKeySchema & { MgoIsSparse?: boolean } = i.MgoKeySchema;
        c.indexes.set(i.IndexName, {
          keys: schema.MgoIndexKeys.map((k) => ({ ...k })),
          unique: schema.MgoIsUnique,
          sparse: schema.MgoIsSparse,
        });
      }
      return ok;
    },
  };

  storage: CloudPort['storage'] = {
    getStorageAcl: async (options) => {
      this.record('storage.getStorageAcl', false, [options]);
      return { ...this.storageAcl };
    },
    setStorageAcl: async (acl, rule) => {
      this.record('storage.setStorageAcl', true, [acl, rule]);
      if (acl === 'CUSTOM' && !rule) throw new Error('CUSTOM needs a rule');
      this.storageAcl = { acl, ...(rule ? { rule: { ...rule } } : {}) };
      return ok;
    },
  };

  access: CloudPort['access'] = {
    getAccessList: async (options) => {
      this.record('access.getAccessList', false, [options]);
      const list = this.routes.filter(
        (r) => (!options?.path || r.Path === options.path) && (!options?.name || r.Name === options.name),
      );
      return {
        RequestId: 'fake',
        APISet: list,
        Total: list.length,
        Limit: 20,
        Offset: 0,
        EnableService: this.accessEnabled,
      };
    },
    createAccess: async (options) => {
      this.record('access.createAccess', true, [options]);
      if (this.routes.some((r) => r.Path === options.path))
        throw new CloudError('InvalidParameter.APICreated', 'path exists');
      if (!this.fns.has(options.name)) throw new CloudError('ResourceNotFound.Function', 'no such function');
      const api: IApi = {
        ServiceId: 'env',
        APIId: `api-${this.routes.length + 1}`,
        Path: options.path,
        Type: options.type ?? 1,
        Name: options.name,
        CreateTime: 0,
        EnvId: 'env',
        EnableAuth: !!options.auth,
      };
      this.routes.push(api);
      return { APIId: api.APIId, RequestId: 'fake' };
    },
  };

  commonService: CloudPort['commonService'] = (service, version) => ({
    call: async (options) => {
      const { Action, Param } = options;
      const write = !Action.startsWith('Describe');
      this.record(`commonService(${service ?? 'tcb'}${version ? `@${version}` : ''}).${Action}`, write, [Param]);
      if (service !== 'tcb') throw new Error(`unexpected service ${service}`);
      if (!Param.EnvId) throw new Error('EnvId missing');
      const c = this.coll(String(Param.CollectionName));
      if (Action === 'DescribeSafeRule') return { RequestId: 'fake', AclTag: c.rule.AclTag, Rule: c.rule.Rule ?? null };
      if (Action === 'ModifySafeRule') {
        if (Param.AclTag === 'CUSTOM') JSON.parse(String(Param.Rule));
        c.rule = { AclTag: String(Param.AclTag), ...(Param.Rule ? { Rule: String(Param.Rule) } : {}) };
        return ok;
      }
      throw new Error(`unexpected action ${Action}`);
    },
  });
}
