import QRCode from "qrcode";

/**
 * Draws `url` as a QR code on stderr (stdout carries only the session), two rows of modules per
 * text line so it fits a terminal, with the quiet zone phone cameras need.
 */
export async function drawQrOnStderr(url: string): Promise<void> {
  const art = await QRCode.toString(url, { type: "terminal", small: true, errorCorrectionLevel: "L" });
  process.stderr.write(`${art}\n`);
}
