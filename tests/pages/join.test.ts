/** 入会申请: live checks, consent, real uploads and a real application the back end accepts. */
import { ADMIN_A, issue, profile as demoProfile } from '../support/journey';
import { badChecksum, validIdNumber } from '../support/fixtures';
import { typeProfile, photoInto, pdfInto, consent } from './support/join-steps';
import { openPage, type PageDriver } from './support/render';
import { actAs, newOpenid, pick, useLocalSystem } from './support/system';
import { lastNavigation, wxLog } from './support/wx';

const system = useLocalSystem();

async function openJoin(kind: 'join' | 'join-simple' = 'join'): Promise<{ page: PageDriver; code: string }> {
  const { code } = await issue(system(), kind, ADMIN_A);
  const page = await openPage('pkg-member/join/index', { code, kind });
  await page.waitForText('示例监理有限公司');
  return { page, code };
}

async function unitForms(name: string) {
  const r = await system().call('forms', { action: 'list', name, as: 'unit_admin' }, ADMIN_A);
  return r.data.items as { id: string; status: string; names: string[] }[];
}

describe('join form', () => {
  test('when the applicant types an ID number with a wrong check character, then the checksum error shows as they type, and a right one is confirmed', async () => {
    actAs(system(), newOpenid());
    const { page } = await openJoin();
    const good = validIdNumber('1988-03-09', 'female', 31);
    await page.input(good.slice(0, 10), '#profile', '#idNumber');
    expect(page.text()).not.toContain('校验位');
    await page.input(badChecksum(good), '#profile', '#idNumber');
    expect(page.text()).toContain('身份证号校验位不正确，请核对是否输错');
    await page.input(good, '#profile', '#idNumber');
    expect(page.text()).not.toContain('校验位不正确');
    expect(page.text()).toContain('校验通过：出生日期 1988-03-09，女');
    // The number says 女: an empty gender is filled from it.
    expect(page.data.profile.gender).toBe('female');
  });

  test('when the applicant submits without the separate consent for ID data, then nothing is sent and the consent is asked for', async () => {
    actAs(system(), newOpenid());
    const { page } = await openJoin();
    const p = demoProfile({ name: '未同意', idNumber: validIdNumber('1991-01-01', 'male', 41) });
    await typeProfile(page, p as never);
    await page.tap('#agree');
    await page.tap('#submit');
    expect(page.text()).toContain('请勾选单独同意处理身份证号码和身份证照片');
    expect(wxLog.navigations).toHaveLength(0);
    expect(await unitForms('未同意')).toHaveLength(0);
    // ID-card images cannot even be taken before that consent.
    expect(page.find('#file-idFront')!.instance.data.disabled).toBe(true);
  });

  test('when the photo is over 200 KB, then it is refused on the phone before any upload', async () => {
    actAs(system(), newOpenid());
    const { page } = await openJoin();
    const big = pick.bigPhoto();
    expect(big.size!).toBeGreaterThan(200 * 1024);
    await photoInto(page, 'photo', big);
    expect(page.data.files.photo).toBeUndefined();
    expect(page.text()).toContain('个人证件照不能超过200KB');
  });

  test('when the applicant taps a taken photo and then retakes it, then it is previewed and replaced by a new upload', async () => {
    actAs(system(), newOpenid());
    const { page } = await openJoin();
    await photoInto(page, 'photo');
    const first = page.data.files.photo;
    await page.tap('#file-photo', '#preview');
    expect(wxLog.previews).toHaveLength(1);
    await photoInto(page, 'photo');
    expect(page.data.files.photo).toMatch(/^cloud:\/\//);
    expect(page.data.files.photo).not.toBe(first);
    expect(page.text()).toContain('重拍/重选');
  });

  test('when a newcomer fills the full form, takes real photos and submits, then the back end accepts it and the unit sees it in 单位预审', async () => {
    const applicant = newOpenid();
    actAs(system(), applicant);
    const { page } = await openJoin();
    await page.tap('#level-professional');
    const p = demoProfile({ name: '张三丰', idNumber: validIdNumber('1990-06-15', 'male', 51) });
    await consent(page);
    await typeProfile(page, p as never);
    await photoInto(page, 'photo');
    await photoInto(page, 'idFront');
    await photoInto(page, 'idBack');
    await photoInto(page, 'diploma', pick.diploma());
    await pdfInto(page, 'diplomaCheck');
    // 专业会员: the registration certificate is required (manual 2.11.3 (4)).
    expect(page.find('#file-qualificationCert')!.instance.data.label).toBe('注册监理工程师注册证书');
    await pdfInto(page, 'qualificationCert');
    expect(page.data.files.photo).toMatch(/^cloud:\/\//);
    expect(page.find('#file-photo')!.instance.data.src).toBeTruthy(); // preview of the taken photo

    await page.tap('#submit');
    await page.waitFor(() => wxLog.navigations.length, 'navigation after submit');
    const nav = lastNavigation()!;
    expect(nav).toMatchObject({ kind: 'redirectTo', route: 'pkg-member/applications/index' });
    expect(nav.query.submitted).toMatch(/^RH-\d{14}$/);

    const [item] = await unitForms('张三丰');
    expect(item.status).toBe('unit_review');
    const form = (await system().call('forms', { action: 'get', formId: item.id }, ADMIN_A)).data;
    expect(form).toMatchObject({ status: 'unit_review', level: 'professional', codeKind: 'join', no: nav.query.submitted });
    expect(Object.keys(form.people[0].files).sort()).toEqual(['diploma', 'diplomaCheck', 'idBack', 'idFront', 'photo', 'qualificationCert']);

    // 我的申请 lists it with its status label.
    const list = await openPage('pkg-member/applications/index', nav.query);
    await list.waitForText('张三丰');
    expect(list.text()).toContain('单位预审中');
    expect(list.text()).toContain(`申请已提交，编号 ${nav.query.submitted}`);
  });

  test('when a simple code is scanned, then only photo, ID card and identity are asked and the application is accepted', async () => {
    actAs(system(), newOpenid());
    const { page } = await openJoin('join-simple');
    expect(page.text()).toContain('入会简码');
    expect(page.find('#profile', '#school')).toBeUndefined();
    expect(page.find('#file-diploma')).toBeUndefined();
    await consent(page);
    await typeProfile(page, { name: '简码甲', idNumber: validIdNumber('1985-12-01', 'female', 61), phone: '13700001111' });
    await photoInto(page, 'photo');
    await photoInto(page, 'idFront');
    await photoInto(page, 'idBack');
    await page.tap('#submit');
    await page.waitFor(() => wxLog.navigations.length, 'navigation after submit');
    const [item] = await unitForms('简码甲');
    expect(item.status).toBe('unit_review');
  });

  test('when the server rejects a file by its content, then its reason shows next to that attachment at upload and nothing is submitted', async () => {
    actAs(system(), newOpenid());
    const { page } = await openJoin('join-simple');
    await consent(page);
    await typeProfile(page, { name: '假照片', idNumber: validIdNumber('1987-02-02', 'male', 71), phone: '13700002222' });
    await photoInto(page, 'photo', pick.pngNamedJpg());
    const photo = page.find('#file-photo')!;
    await page.waitFor(() => photo.instance.data.shownError, 'upload refusal');
    expect(photo.instance.data.shownError).toBe('上传失败：个人证件照须为JPG格式');
    expect(page.text()).toContain('个人证件照须为JPG格式');
    await photoInto(page, 'idFront');
    await photoInto(page, 'idBack');
    await page.tap('#submit');
    await new Promise((r) => setTimeout(r, 300));
    expect(wxLog.navigations).toHaveLength(0);
    expect(await unitForms('假照片')).toHaveLength(0);
  });

  test('when the code is forged, then the form is not shown and the Chinese reason is', async () => {
    actAs(system(), newOpenid());
    const page = await openPage('pkg-member/join/index', { code: 'forged.token.abc' });
    await page.waitFor(() => !page.data.loading, 'resolve');
    expect(page.text()).toContain('二维码无效');
    expect(page.find('#submit')).toBeUndefined();
  });

  test('when a newcomer walks the steps, then each step asks only its own fields and 下一步 waits until they are right; a simple code has two steps', async () => {
    actAs(system(), newOpenid());
    const { page } = await openJoin();
    expect(page.data.steps).toEqual(['个人信息', '学历', '同意与附件']);
    const shown = (id: string) => !/step-off/.test(page.find(id)!.dom.className);
    expect([shown('#step-level'), shown('#step-profile'), shown('#privacy'), shown('#step-files')]).toEqual([true, true, false, false]);
    expect(page.find('#profile', '#pf-education')!.dom.className).toMatch(/pf-off/);
    // Nothing typed: 下一步 stays and says what is wrong on this step only.
    await page.tap('#next');
    expect(page.data.step).toBe(1);
    expect(page.data.errors.name).toBeTruthy();
    const p = demoProfile({ name: '步骤甲', idNumber: validIdNumber('1991-02-03', 'male', 61) });
    await typeProfile(page, p as never, { education: false });
    await page.tap('#next');
    expect(page.data.step).toBe(2);
    expect(page.find('#profile', '#pf-person')!.dom.className).toMatch(/pf-off/);
    expect(page.find('#profile', '#pf-education')!.dom.className).not.toMatch(/pf-off/);
    await page.tap('#next');
    expect(page.data.step).toBe(2);
    expect(page.data.errors.education || page.data.errors.education_level).toBeTruthy();
    expect(page.data.errors.files_photo).toBeUndefined(); // the next step's fields are not shouted about yet
    await typeProfile(page, { education: (p as any).education } as never);
    await page.tap('#next');
    expect(page.data.step).toBe(3);
    expect([shown('#step-level'), shown('#step-profile'), shown('#privacy'), shown('#step-files')]).toEqual([false, false, true, true]);
    await page.tap('#prev');
    expect(page.data.step).toBe(2);

    const simple = await openJoin('join-simple');
    expect(simple.page.data.steps).toEqual(['个人信息', '同意与附件']);
  });
});
