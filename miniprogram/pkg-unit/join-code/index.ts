/**
 * 入会二维码 (unit admin; manual 2.1.2, FAQ 3.13): issue and show the join code, with the switch
 * to the simple code (入会简码) at the bottom as the manual's screen has it, its expiry, and refresh.
 * Codes are issued by `codes.issue`; the image is the stored PNG (`qrImage`).
 */
import { unitCode } from '../../behaviors/unit-code';

type Kind = 'join' | 'join-simple';

Component({
  behaviors: [unitCode],
  data: {
    kinds: ['join', 'join-simple'] as Kind[],
  },
  methods: {
    onSwitch() {
      this.choose(this.data.kind === 'join' ? 'join-simple' : 'join');
    },
  },
});
