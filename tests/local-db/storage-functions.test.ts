import { Local, cloud, rejection, startLocal } from './helpers';

let L: Local;
const calls: { name: string; event: any }[] = [];

beforeAll(async () => {
  L = await startLocal({
    onInvokeFunction: async (name, event) => {
      calls.push({ name, event });
      if (name === 'fails') throw new Error('handler exploded');
      if (name === 'silent') return undefined;
      return { echo: event, by: name };
    },
  });
});
afterAll(() => L.close());

describe('when using cloud storage', () => {
  test('when a file is uploaded, then it downloads, has a fetchable temp URL, and is gone after delete', async () => {
    const content = Buffer.from('证书 PDF bytes \u0000\u00ff', 'utf8');
    const up = await cloud.uploadFile({ cloudPath: 'certs/2024/张三.pdf', fileContent: content });
    expect(up.fileID).toBe('cloud://local.local-bucket/certs/2024/张三.pdf');

    const down = await cloud.downloadFile({ fileID: up.fileID });
    expect(Buffer.compare(down.fileContent, content)).toBe(0);

    const { fileList } = await cloud.getTempFileURL({ fileList: [up.fileID] });
    expect(fileList[0]).toMatchObject({ fileID: up.fileID, status: 0 });
    const res = await fetch(fileList[0].tempFileURL);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.compare(Buffer.from(await res.arrayBuffer()), content)).toBe(0);

    const del = await cloud.deleteFile({ fileList: [up.fileID] });
    expect(del.fileList).toEqual([{ fileID: up.fileID, status: 0, errMsg: 'ok' }]);
    const after = await cloud.getTempFileURL({ fileList: [up.fileID] });
    expect(after.fileList[0]).toMatchObject({ status: -503003, tempFileURL: '' });
    expect(await rejection(cloud.downloadFile({ fileID: up.fileID }))).toBeTruthy();
  });

  test('when a file is put by the local helpers, then the SDK downloads it and getFile reads SDK uploads', async () => {
    const fileID = L.server.backend.putFile('seed/a.txt', Buffer.from('seeded'));
    expect((await cloud.downloadFile({ fileID })).fileContent.toString()).toBe('seeded');
    const up = await cloud.uploadFile({ cloudPath: 'seed/b.txt', fileContent: Buffer.from('uploaded') });
    expect(L.server.backend.getFile(up.fileID)?.toString()).toBe('uploaded');
    expect(L.server.backend.getFile('cloud://local.local-bucket/seed/missing.txt')).toBeNull();
  });

  test('when a cloudPath tries to escape the storage folder, then the upload is refused', async () => {
    await rejection(cloud.uploadFile({ cloudPath: '../outside.txt', fileContent: Buffer.from('x') }));
    expect(L.server.backend.getFile('cloud://local.local-bucket/../outside.txt')).toBeNull();
  });
});

describe('when calling a cloud function', () => {
  test('when the hook returns a value, then callFunction resolves with it as result', async () => {
    const res = await cloud.callFunction({ name: 'member', data: { action: 'join', at: '2024-01-01' } });
    expect(res).toMatchObject({ result: { echo: { action: 'join', at: '2024-01-01' }, by: 'member' }, errMsg: 'callFunction:ok' });
    expect(calls.at(-1)).toEqual({ name: 'member', event: { action: 'join', at: '2024-01-01' } });
  });

  test('when the function returns nothing, then result is null', async () => {
    expect((await cloud.callFunction({ name: 'silent' })).result).toBeNull();
  });

  test('when the hook throws, then callFunction fails with FUNCTIONS_EXECUTE_FAIL', async () => {
    const err = await rejection(cloud.callFunction({ name: 'fails', data: {} }));
    // node-sdk throws the answer's code; wx-server-sdk 4.0.2 then reports errCode -1 and keeps err.code
    expect(err.code).toBe('FUNCTIONS_EXECUTE_FAIL');
    expect(String(err.errMsg)).toMatch(/handler exploded/);
  });
});
