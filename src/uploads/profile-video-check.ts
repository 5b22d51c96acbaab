/**
 * Telegram's rules for an animated profile photo, checked from the MP4 container while the file
 * streams to Telegram, so a video Telegram would refuse never reaches photos.uploadContactProfilePhoto:
 * a readable `moov` with a video track, square, at most 10 seconds. Files written for streaming
 * carry `moov` first and are refused after their first part; others once their last byte went past.
 */
import { readMp4Movie, type Mp4Movie } from "./mp4-movie.js";
import { Mp4MoovScanner } from "./mp4-moov-scanner.js";

/** Telegram's limit for profile videos (the apps trim to it). */
export const MAX_PROFILE_VIDEO_SECONDS = 10;

/** The video breaks Telegram's profile-video rules; `message` says which, for the client. */
export class ProfileVideoRejected extends Error {
  override readonly name = "ProfileVideoRejected";
}

export function profileVideoProblem(movie: Mp4Movie | null): string | null {
  if (movie === null)
    return "The video file is not a readable MP4: it has no movie header with a sized video track.";
  if (movie.width !== movie.height) {
    return `The video must be square, like every profile video; it is ${movie.width}x${movie.height}.`;
  }
  if (movie.durationSeconds > MAX_PROFILE_VIDEO_SECONDS) {
    return `The video may be at most ${MAX_PROFILE_VIDEO_SECONDS} seconds long; it lasts ${movie.durationSeconds.toFixed(2)} s.`;
  }
  return null;
}

/** Passes `source` through unchanged, throwing ProfileVideoRejected as soon as the video is judged bad. */
export async function* checkedProfileVideo(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const scanner = new Mp4MoovScanner();
  let judged = false;
  const judge = () => {
    judged = true;
    const problem = profileVideoProblem(scanner.moov === null ? null : readMp4Movie(scanner.moov));
    if (problem !== null) throw new ProfileVideoRejected(problem);
  };
  for await (const chunk of source) {
    if (!judged) {
      scanner.push(chunk);
      if (scanner.malformed) throw new ProfileVideoRejected(profileVideoProblem(null)!);
      if (scanner.moov !== null) judge();
    }
    yield chunk;
  }
  if (!judged) {
    scanner.finish();
    judge();
  }
}
