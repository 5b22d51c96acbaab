/**
 * The stripped thumbnail (`photoStrippedSize` type `i`, `userProfilePhoto.stripped_thumb`) the DC
 * sends with every photo: a tiny JPEG without Telegram's fixed header and footer (byte 0 the
 * version 1, bytes 1-2 height and width, then the entropy-coded data), which clients splice back
 * into that header. The sandbox keeps no pixels, so it is a 40x40 mid-grey picture, encoded for
 * real: with the header's standard Huffman tables and 4:2:0 sampling, a 16x16 MCU of grey is four
 * luma blocks (DC difference 0 = "00", end of block = "1010") and two chroma blocks ("00" + "00"),
 * exactly 32 bits.
 */
const SIDE = 40;
const MCU_SIDE = 16;
const GREY_MCU = Buffer.from([0x28, 0xa2, 0x8a, 0x00]);
const VERSION = 1;

function build(): Buffer {
  const mcus = Math.ceil(SIDE / MCU_SIDE) ** 2;
  return Buffer.concat([Buffer.from([VERSION, SIDE, SIDE]), ...Array.from({ length: mcus }, () => GREY_MCU)]);
}

export const STRIPPED_THUMB: Buffer = build();
