/**
 * One real local system per test file (fresh data directory, demo world seeded), and the files a
 * user would pick: real JPEGs and PDFs written to a temp folder, as WeChat's temp paths are.
 */
import { setTransport } from '../../../miniprogram/services/request';
import { jpeg, pdf, png } from '../../support/fixtures';
import { startLocalSystem, type LocalSystem } from '../../support/local-system';
import { closePages, settle } from './render';
import { resetWx, tempFile, type MediaFile } from './wx';

/** Start the system before the file's tests, stop it after; reset WeChat's fakes before each test. */
export function useLocalSystem(opts: { profile?: 'construction' | 'equipment' } = {}): () => LocalSystem {
  // Each test walks real requests through worker instances: room for a loaded 2-core CI machine.
  // The timeout only catches a hang (jest.config.js's 60 s); speed is `npm run bench`'s.
  jest.setTimeout(60000);
  let sys: LocalSystem | undefined;
  beforeAll(async () => {
    sys = await startLocalSystem({ profile: opts.profile });
  });
  afterAll(async () => {
    await sys?.close();
  });
  beforeEach(() => {
    resetWx();
    setTransport(null);
  });
  afterEach(async () => {
    closePages();
    await settle(10); // let answers already on their way land before the next test
  });
  return () => {
    if (!sys) throw new Error('local system not started');
    return sys;
  };
}

/** Act as `openid` from now on (the pages' request wrapper uses this transport). */
export function actAs(sys: LocalSystem, openid: string): void {
  setTransport(sys.transport(openid));
}

let n = 0;
/** Picked files, as the camera/album or a chat would hand them over. */
export const pick = {
  photo: (): MediaFile => tempFile(jpeg(90, 120, 80, ++n), 'photo.jpg'),
  /** A photo over the 200 KB limit (noise compresses badly). */
  bigPhoto: (): MediaFile => tempFile(jpeg(600, 800, 95, ++n), 'big-photo.jpg'),
  idCard: (): MediaFile => tempFile(jpeg(320, 200, 80, ++n), 'id.jpg'),
  diploma: (): MediaFile => tempFile(jpeg(300, 220, 80, ++n), 'diploma.jpg'),
  receipt: (): MediaFile => tempFile(jpeg(200, 300, 80, ++n), 'receipt.jpg'),
  pdf: (): MediaFile => tempFile(pdf(2000), 'report.pdf'),
  /** PNG bytes under a .jpg name: passes the phone's checks, the server reads the content. */
  pngNamedJpg: (): MediaFile => tempFile(png(64, 64), 'fake.jpg'),
};

let openidSeq = 0;
/** A WeChat user nobody has seen yet. */
export function newOpenid(prefix = 'newcomer'): string {
  return `${prefix}-${process.pid}-${++openidSeq}`;
}
