// Root hooks for the AWS-layer tests (mocha --require out/test/aws/hooks.js): one emulator for the
// whole layer, unless the runner already provides one in KEYWAY_TEST_ENDPOINT.
import { startMoto, type Moto } from '../support/moto';

let moto: Moto | undefined;

export const mochaHooks = {
  async beforeAll(this: Mocha.Context): Promise<void> {
    this.timeout(60_000);
    if (process.env.KEYWAY_TEST_ENDPOINT) return;
    moto = await startMoto({ log: process.env.KEYWAY_MOTO_LOG });
    process.env.KEYWAY_TEST_ENDPOINT = moto.endpoint;
  },
  async afterAll(this: Mocha.Context): Promise<void> {
    this.timeout(15_000);
    if (moto) {
      await moto.stop();
      delete process.env.KEYWAY_TEST_ENDPOINT;
      moto = undefined;
    }
  },
};
