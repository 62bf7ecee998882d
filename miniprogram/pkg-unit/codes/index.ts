/**
 * 单位二维码 (unit admin; SPEC §3.4): the unit-wide 个人归属公司变更码 (members of other units scan it to
 * move here) and 会员身份资料更新码 (members registered before the platform claim their record), each
 * with its expiry and refresh. `query.kind` picks the first one shown.
 */
import { CODE_KIND_LABEL } from '../../shared/labels';
import { unitCode } from '../../behaviors/unit-code';

type Kind = 'transfer' | 'id-update';

Component({
  behaviors: [unitCode],
  data: {
    kinds: ['transfer', 'id-update'] as Kind[],
    tabs: [
      { value: 'transfer', label: CODE_KIND_LABEL.transfer },
      { value: 'id-update', label: CODE_KIND_LABEL['id-update'] },
    ],
  },
  methods: {
    onTab(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      const kind: Kind = e.detail.value === 'id-update' ? 'id-update' : 'transfer';
      if (kind !== this.data.kind) this.choose(kind);
    },
  },
});
