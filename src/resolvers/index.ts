import type { Resolvers } from "../__generated__/resolvers-types.js";
import { DateTime } from "../graphql/scalars.js";
import { GraphQLUpload } from "graphql-upload-minimal";
import {
  ContactPhotoError,
  ContactPhotoPayload,
  ContactPhotoResult,
  RemoveContactPhotoResult,
} from "./contact-photo-result.js";
import { removeContactPhoto } from "./mutation-remove-contact-photo.js";
import { setContactPhoto } from "./mutation-set-contact-photo.js";
import { suggestContactPhoto } from "./mutation-suggest-contact-photo.js";
import { Photo, PhotoSize } from "./photo.js";
import { contacts } from "./query-contacts.js";
import { me } from "./query-me.js";
import { user } from "./query-user.js";
import { User } from "./user.js";
import { VideoSize, VideoSizeEmojiMarkup, VideoSizeStickerMarkup, VideoSizeVideo } from "./video-size.js";

export const resolvers: Resolvers = {
  Query: { me, user, contacts },
  Mutation: { setContactPhoto, suggestContactPhoto, removeContactPhoto },
  User,
  Photo,
  PhotoSize,
  VideoSize,
  VideoSizeVideo,
  VideoSizeEmojiMarkup,
  VideoSizeStickerMarkup,
  ContactPhotoResult,
  ContactPhotoPayload,
  RemoveContactPhotoResult,
  ContactPhotoError,
  Upload: GraphQLUpload,
  DateTime,
};
