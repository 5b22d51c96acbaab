/** TL values GramJS has no `Api` class for: Bool and bare-typed vectors of objects. */
import { Ctor } from "../protocol/constructors.js";
import type { TlValue } from "./context.js";

const BOOL_TRUE = 0x997275b5;

export const tlTrue: TlValue = {
  getBytes: () => {
    const bytes = Buffer.alloc(4);
    bytes.writeUInt32LE(BOOL_TRUE);
    return bytes;
  },
};

export function tlVector(items: readonly TlValue[]): TlValue {
  return {
    getBytes: () => {
      const header = Buffer.alloc(8);
      header.writeUInt32LE(Ctor.vector, 0);
      header.writeInt32LE(items.length, 4);
      return Buffer.concat([header, ...items.map((item) => item.getBytes())]);
    },
  };
}
