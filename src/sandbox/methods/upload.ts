import { Api } from "telegram";
import { defineMethod } from "./context.js";
import { tlTrue } from "./tl-values.js";

// Parts are kept by the DC that received them (`world.uploadsOn(dcId)`), for the signed-in
// account: a client may upload on any DC its key there is signed in on.

export const saveFilePart = defineMethod({
  name: "upload.saveFilePart",
  requestClass: Api.upload.SaveFilePart,
  dcScope: "any",
  run: (request, { world, dcId, viewerId }) => {
    world.uploadsOn(dcId).saveSmallPart(viewerId, request.fileId.toString(), request.filePart, request.bytes);
    return tlTrue;
  },
});

export const saveBigFilePart = defineMethod({
  name: "upload.saveBigFilePart",
  requestClass: Api.upload.SaveBigFilePart,
  dcScope: "any",
  run: (request, { world, dcId, viewerId }) => {
    world
      .uploadsOn(dcId)
      .saveBigPart(
        viewerId,
        request.fileId.toString(),
        request.filePart,
        request.fileTotalParts,
        request.bytes,
      );
    return tlTrue;
  },
});
