export type ContactPhotoIntent = "set" | "suggest" | "remove";

/**
 * The flags real clients (TDLib, Telegram Android, Web A) send for each intent, as read from
 * their sources. `save` and `suggest` are never sent together, and a remove
 * is `save` with no media, despite what the method's documentation suggests.
 */
export function flagsForIntent(intent: ContactPhotoIntent): { save: boolean; suggest: boolean } {
  switch (intent) {
    case "set":
      return { save: true, suggest: false };
    case "suggest":
      return { save: false, suggest: true };
    case "remove":
      return { save: true, suggest: false };
  }
}
