import type { FileUpload } from "graphql-upload-minimal";

/**
 * Reads and throws away uploads the request carried but the gateway will not use. Multipart is
 * sequential: an unread file stalls the parser, so leaving it would hang the request.
 * Draining (not destroying) matters: a destroyed busboy stream never ends. Never rejects.
 */
export function discardUploads(uploads: ReadonlyArray<Promise<FileUpload> | null>): void {
  for (const upload of uploads) {
    if (upload === null) continue;
    upload
      .then((file) => {
        const stream = file.createReadStream();
        stream.on("error", () => undefined);
        stream.resume();
      })
      .catch(() => undefined);
  }
}
