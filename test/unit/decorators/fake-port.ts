import type { FullUser, TelegramPort, TelegramUser } from "../../../src/telegram/port.js";
import type { PortMethodName } from "../../../src/telegram/decorators/decorate-port.js";

export const alice: TelegramUser = {
  id: "1001",
  accessHash: "42",
  firstName: "Alice",
  lastName: null,
  username: "alice",
  phone: null,
  isSelf: false,
  isContact: true,
  isMutualContact: true,
  isBot: false,
  hasPersonalPhoto: false,
};

/**
 * A port whose every method answers from a script: each call takes the next step for its method
 * (an Error is thrown, anything else returned); the last step repeats. Calls are recorded.
 */
export class FakePort implements TelegramPort {
  readonly calls: PortMethodName[] = [];
  closed = 0;
  private readonly scripts = new Map<PortMethodName, unknown[]>();

  script(method: PortMethodName, ...steps: unknown[]): this {
    this.scripts.set(method, steps);
    return this;
  }

  callsOf(method: PortMethodName): number {
    return this.calls.filter((call) => call === method).length;
  }

  private async answer<T>(method: PortMethodName, fallback: T): Promise<T> {
    this.calls.push(method);
    const steps = this.scripts.get(method);
    const step = steps && steps.length > 0 ? (steps.length > 1 ? steps.shift() : steps[0]) : fallback;
    if (step instanceof Error) throw step;
    return step as T;
  }

  getSelf = () => this.answer("getSelf", { ...alice, isSelf: true });
  getContacts = () => this.answer("getContacts", [alice]);
  getUsers = () => this.answer<(TelegramUser | null)[]>("getUsers", [alice]);
  resolveUsername = () => this.answer("resolveUsername", alice);
  getFullUser = () =>
    this.answer<FullUser>("getFullUser", {
      user: alice,
      personalPhoto: null,
      profilePhoto: null,
      fallbackPhoto: null,
    });
  saveFilePart = () => this.answer<void>("saveFilePart", undefined);
  uploadContactProfilePhoto = () => this.answer("uploadContactProfilePhoto", { photo: null, users: [alice] });
  getFile = () => this.answer("getFile", { fileType: "jpeg" as const, bytes: new Uint8Array() });
  getPhotoSuggestions = () => this.answer("getPhotoSuggestions", []);
  ping = () => this.answer<void>("ping", undefined);
  close = async () => {
    this.closed += 1;
  };
}
