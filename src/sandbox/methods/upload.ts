import { Api } from "telegram";
import { defineMethod } from "./context.js";
import { tlTrue } from "./tl-values.js";

export const saveFilePart = defineMethod({
  name: "upload.saveFilePart",
  requestClass: Api.upload.SaveFilePart,
  run: (request, { world, viewerId }) => {
    world.files.saveSmallPart(viewerId, request.fileId.toString(), request.filePart, request.bytes);
    return tlTrue;
  },
});

export const saveBigFilePart = defineMethod({
  name: "upload.saveBigFilePart",
  requestClass: Api.upload.SaveBigFilePart,
  run: (request, { world, viewerId }) => {
    world.files.saveBigPart(
      viewerId,
      request.fileId.toString(),
      request.filePart,
      request.fileTotalParts,
      request.bytes,
    );
    return tlTrue;
  },
});
