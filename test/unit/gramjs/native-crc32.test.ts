import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { createRequire } from "node:module";
import { after, describe, it } from "node:test";
import { installNativeCrc32, uninstallNativeCrc32 } from "../../../src/telegram/gramjs/native-crc32.js";

const require = createRequire(import.meta.url);
const helpers = require("telegram/Helpers") as { crc32: (data: Buffer | string) => number };

describe("installNativeCrc32", () => {
  after(() => uninstallNativeCrc32());

  it("computes exactly what GramJS's own crc32 computes, for buffers and strings", () => {
    const stock = helpers.crc32;
    const inputs: (Buffer | string)[] = [Buffer.alloc(0), Buffer.from([0xff]), "Peer", "InputUser"];
    for (const length of [1, 3, 4, 15, 16, 1024, 524_288 + 12]) inputs.push(randomBytes(length));
    const expected = inputs.map((input) => stock(input));

    installNativeCrc32();
    assert.notEqual(helpers.crc32, stock, "the export GramJS reads was replaced");
    assert.deepEqual(
      inputs.map((input) => helpers.crc32(input)),
      expected,
    );
    installNativeCrc32();
    uninstallNativeCrc32();
    assert.equal(
      helpers.crc32,
      stock,
      "uninstall restores GramJS's own function, even after a double install",
    );
  });
});
