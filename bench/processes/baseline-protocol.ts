export interface UploadTarget {
  id: string;
  accessHash: string;
}

export interface UploadBatchRequest {
  sizeBytes: number;
  /** Uploads in the batch. */
  total: number;
  /** Uploads in flight at once. */
  concurrency: number;
  /** Contacts, used round-robin. */
  targets: UploadTarget[];
}

export interface UploadBatchResult {
  /** One per upload, from start of the upload to the answer of uploadContactProfilePhoto. */
  latenciesMs: number[];
  wallMs: number;
}

export interface BlastRequest {
  seconds: number;
  inFlight: number;
  partBytes: number;
}

export interface BlastResult {
  bytes: number;
  parts: number;
  wallMs: number;
}

/** Download the largest size of `target`'s personal photo, as a GramJS user would. */
export interface DownloadRequest {
  target: UploadTarget;
}

export interface DownloadResult {
  /** From the start (users.getFullUser included) to the first downloaded chunk. */
  firstByteMs: number;
  totalMs: number;
  bytes: number;
}
