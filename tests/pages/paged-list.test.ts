/**
 * behaviors/paged-list: a tiny list component using the Behavior, against a fake `fetchPage` whose
 * answers the test holds back and releases — first page, paging at the bottom, the end of the list,
 * an error and its retry, pull-down refresh, and an older answer arriving after a newer query.
 */
import { settle } from './support/render'; // installs miniprogram-simulate (its Behavior) and the wx fakes first
import { AppError } from '../../miniprogram/shared/errors';
import type { PageAnswer } from '../../miniprogram/behaviors/paged-list';
import { pagedList } from '../../miniprogram/behaviors/paged-list';
import { wxLog } from './support/wx';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const simulate = require('miniprogram-simulate');

interface Ask {
  page: number;
  pageSize: number;
  answer(r: PageAnswer<string>): Promise<void>;
  fail(e: unknown): Promise<void>;
}

/** A list of `total` rows named r1…rN, rendered by a component that uses the Behavior; each fetch waits for the test. */
function mountList() {
  const asks: Ask[] = [];
  const id = simulate.load({
    template:
      '<view wx:for="{{items}}" wx:key="*this" class="row">{{item}}</view><view id="status">{{loading ? "loading" : error ? "error" : finished ? "finished" : "more"}}</view>',
    behaviors: [pagedList],
    data: { pageSize: 5 },
    methods: {
      fetchPage(page: number, pageSize: number): Promise<PageAnswer<string>> {
        return new Promise((resolve, reject) => {
          asks.push({
            page,
            pageSize,
            answer: async (r) => {
              resolve(r);
              await settle();
            },
            fail: async (e) => {
              reject(e);
              await settle();
            },
          });
        });
      },
    },
  });
  const comp = simulate.render(id);
  const parent = document.createElement('parent-wrapper');
  document.body.appendChild(parent);
  comp.attach(parent);
  const rows = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `r${from + i}`);
  return {
    comp,
    asks,
    rows,
    last: () => asks[asks.length - 1],
    shown: (): string[] => comp.querySelectorAll('.row').map((n: { dom: HTMLElement }) => n.dom.textContent),
    status: (): string => comp.querySelector('#status').dom.textContent,
  };
}

describe('behaviors/paged-list', () => {
  test('when the list loads, then the first page shows; reaching the bottom appends pages until the total, then asks no more', async () => {
    const list = mountList();
    expect(list.status()).toBe('loading');
    const first = list.comp.instance.reload();
    expect(list.last()).toMatchObject({ page: 1, pageSize: 5 });
    await list.last().answer({ items: list.rows(1, 5), total: 12 });
    await first;
    expect(list.shown()).toEqual(list.rows(1, 5));
    expect(list.comp.data).toMatchObject({ total: 12, page: 1, loading: false, finished: false });
    expect(list.status()).toBe('more');

    list.comp.instance.onReachBottom();
    expect(list.comp.data.loadingMore).toBe(true);
    list.comp.instance.onReachBottom(); // a second tap while loading asks nothing more
    expect(list.asks.map((a) => a.page)).toEqual([1, 2]);
    await list.last().answer({ items: list.rows(6, 10), total: 12 });
    expect(list.shown()).toEqual(list.rows(1, 10));

    list.comp.instance.onReachBottom();
    await list.last().answer({ items: list.rows(11, 12), total: 12 });
    expect(list.shown()).toEqual(list.rows(1, 12));
    expect(list.comp.data).toMatchObject({ page: 3, finished: true, loadingMore: false });
    expect(list.status()).toBe('finished');

    list.comp.instance.onReachBottom();
    await settle();
    expect(list.asks).toHaveLength(3);
  });

  test('when the first page fails, then the error shows; the retry loads it', async () => {
    const list = mountList();
    list.comp.instance.reload();
    await list.last().fail(new AppError('FORBIDDEN', '您没有权限进行此操作'));
    expect(list.comp.data).toMatchObject({ loading: false, error: '您没有权限进行此操作', items: [] });
    expect(list.status()).toBe('error');
    list.comp.instance.onReachBottom(); // nothing to page from an error
    expect(list.asks).toHaveLength(1);

    list.comp.instance.onRetry();
    expect(list.comp.data).toMatchObject({ loading: true, error: '' });
    await list.last().answer({ items: list.rows(1, 3), total: 3 });
    expect(list.shown()).toEqual(list.rows(1, 3));
    expect(list.comp.data).toMatchObject({ error: '', finished: true });
  });

  test('when a later page fails, then the rows shown stay, a toast says why, and the next tap asks that page again', async () => {
    const list = mountList();
    list.comp.instance.reload();
    await list.last().answer({ items: list.rows(1, 5), total: 8 });
    list.comp.instance.loadMore();
    await list.last().fail(new Error('offline'));
    expect(list.shown()).toEqual(list.rows(1, 5));
    expect(list.comp.data).toMatchObject({ error: '', loadingMore: false, page: 1 });
    expect(wxLog.toasts.length).toBeGreaterThan(0);
    list.comp.instance.loadMore();
    expect(list.last().page).toBe(2);
  });

  test('when the user pulls down, then the list starts again from its first page (keeping the rows until the answer)', async () => {
    const list = mountList();
    list.comp.instance.reload();
    await list.last().answer({ items: list.rows(1, 5), total: 12 });
    list.comp.instance.loadMore();
    await list.last().answer({ items: list.rows(6, 10), total: 12 });

    const pulled = list.comp.instance.onPullDownRefresh();
    expect(list.comp.data).toMatchObject({ refreshing: true, loading: false });
    expect(list.shown()).toEqual(list.rows(1, 10));
    expect(list.last().page).toBe(1);
    await list.last().answer({ items: ['n1', 'n2', 'n3', 'n4', 'n5'], total: 13 });
    await pulled;
    expect(list.shown()).toEqual(['n1', 'n2', 'n3', 'n4', 'n5']);
    expect(list.comp.data).toMatchObject({ page: 1, total: 13, refreshing: false, finished: false });
  });

  test('when the query changes while a page is loading, then only the newest answer shows, with its extra data', async () => {
    const list = mountList();
    list.comp.instance.reload();
    const old = list.last();
    list.comp.instance.reload(); // a filter changed: the list empties and asks again
    const fresh = list.last();
    await fresh.answer({ items: ['new'], total: 1, extra: { note: 'fresh' } });
    await old.answer({ items: ['stale'], total: 1, extra: { note: 'stale' } });
    expect(list.shown()).toEqual(['new']);
    expect(list.comp.data.note).toBe('fresh');
  });
});
