// The demo page: plain ES module, no build step, no external resources.
// Talks to the gateway's /graphql (same origin) with GraphQL multipart requests.

const GRAPHQL_URL = new URL("../graphql", window.location.href).href;
const TOKEN_STORAGE_KEY = "contact-photo-gateway.demo.token";

const PHOTO_FIELDS = `
  id date isAnimated strippedThumb
  sizes { type width height bytes url }
  videoSizes { __typename ... on VideoSizeVideo { type width height videoStartTs url } }
`;

const ERROR_FIELDS = `
  ... on ContactPhotoError { code message }
  ... on ContactMissingError { userId }
  ... on UserNotFoundError { userId }
  ... on FloodWaitError { retryAfterSeconds }
  ... on TelegramRejectedError { telegramError telegramCode }
`;

const CONTACTS_QUERY = `query DemoContacts {
  me { id username firstName lastName }
  contacts(first: 100) {
    totalCount
    edges { node { id username firstName lastName isContact personalPhoto { ${PHOTO_FIELDS} } } }
  }
}`;

/** set and suggest take the same input and answer the same union; only the field differs. */
const mediaMutation = (operationName, field) => `mutation ${operationName}($input: ContactPhotoInput!) {
  ${field}(input: $input) {
    __typename
    ... on ContactPhotoPayload { suggested photo { ${PHOTO_FIELDS} } user { id username firstName lastName } }
    ... on InvalidMediaError { field mediaTelegramError: telegramError }
    ${ERROR_FIELDS}
  }
}`;

const PHOTO_MUTATIONS = {
  set: mediaMutation("DemoSetContactPhoto", "setContactPhoto"),
  suggest: mediaMutation("DemoSuggestContactPhoto", "suggestContactPhoto"),
};

const REMOVE_MUTATION = `mutation DemoRemoveContactPhoto($userId: ID!) {
  removeContactPhoto(userId: $userId) {
    __typename
    ... on RemoveContactPhotoPayload { user { id username firstName lastName } }
    ${ERROR_FIELDS}
  }
}`;

/** Plain words for the gateway's top-level error codes (`errors[].extensions.code`). */
const TOP_LEVEL_ERRORS = {
  PAYLOAD_TOO_LARGE: ["File too large", "The file is larger than this gateway accepts. Pick a smaller file."],
  UNAUTHENTICATED: [
    "Access token needed",
    "This gateway needs an access token. Open “Connection settings”, paste the token and try again.",
  ],
  TOO_MANY_REQUESTS: [
    "Slow down",
    "The gateway is limiting how often this client may call it. Wait a moment.",
  ],
  TELEGRAM_UNAVAILABLE: [
    "Telegram is unreachable",
    "The gateway cannot reach Telegram right now. Try again shortly.",
  ],
  TELEGRAM_SESSION_INVALID: [
    "Telegram session not valid",
    "The gateway's Telegram session was revoked or expired. Sign in again on the server (npm run login).",
  ],
  TELEGRAM_ERROR: ["Telegram error", "Telegram answered with an error the gateway does not know."],
  BAD_USER_INPUT: ["Check the input", null],
  BAD_REQUEST: ["Bad request", null],
  GRAPHQL_VALIDATION_FAILED: ["Query not understood", "The gateway's schema does not match this page."],
  INTERNAL_SERVER_ERROR: ["Gateway error", "Something went wrong inside the gateway; its logs say more."],
};

const elements = {
  me: byId("me"),
  contacts: byId("contacts"),
  contactsStatus: byId("contacts-status"),
  refreshContacts: byId("refresh-contacts"),
  form: byId("photo-form"),
  userId: byId("user-id"),
  file: byId("file"),
  mediaFields: byId("media-fields"),
  preview: byId("preview"),
  previewImage: byId("preview-image"),
  previewVideo: byId("preview-video"),
  previewCaption: byId("preview-caption"),
  videoStartField: byId("video-start-field"),
  videoStartTs: byId("video-start-ts"),
  token: byId("token"),
  settings: byId("settings"),
  submit: byId("submit"),
  countdown: byId("countdown"),
  progressRow: byId("progress-row"),
  progress: byId("progress"),
  progressText: byId("progress-text"),
  result: byId("result"),
};

const state = {
  /** Contacts by id, from the last `contacts` query. */
  contacts: new Map(),
  previewUrl: null,
  busy: false,
  floodTimer: null,
};

function byId(id) {
  const element = document.getElementById(id);
  if (!element) throw new Error(`demo page is missing #${id}`);
  return element;
}

/** Creates an element; children are strings (as text, never HTML) or nodes. */
function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "className") element.className = value;
    else element.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(typeof child === "string" || typeof child === "number" ? String(child) : child);
  }
  return element;
}

function displayName(user) {
  const name = [user.firstName, user.lastName].filter(Boolean).join(" ");
  return name || (user.username ? `@${user.username}` : `user ${user.id}`);
}

/** The person a typed id refers to, in words: the contact's name when the list knows them. */
function describeTypedUser(typed) {
  const trimmed = typed.trim();
  for (const contact of state.contacts.values()) {
    if (
      contact.id === trimmed ||
      (contact.username && `@${contact.username}`.toLowerCase() === trimmed.toLowerCase())
    ) {
      return displayName(contact);
    }
  }
  return trimmed;
}

function describeSizes(sizes) {
  return sizes.map((size) => `${size.type} ${size.width}×${size.height}`).join(", ");
}

// ---------------------------------------------------------------------------------------------
// Transport

/**
 * Sends one GraphQL request with XMLHttpRequest (fetch has no upload progress).
 * With `file`, it is a multipart request (graphql-multipart-request-spec) whose file fills `filePath`.
 * Resolves with `{ status, body }` (body is the parsed JSON or null); rejects only when the network fails.
 */
function sendGraphQL({ query, variables, file = null, filePath = null, onUploadProgress = null }) {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open("POST", GRAPHQL_URL);
    request.setRequestHeader("Apollo-Require-Preflight", "true");
    request.setRequestHeader("Accept", "application/graphql-response+json, application/json");
    const token = elements.token.value.trim();
    if (token) request.setRequestHeader("Authorization", `Bearer ${token}`);

    if (onUploadProgress) {
      request.upload.addEventListener("progress", (event) => {
        if (event.lengthComputable) onUploadProgress(event.loaded, event.total);
      });
      request.upload.addEventListener("load", () => onUploadProgress(1, 1));
    }
    request.addEventListener("load", () => {
      let body = null;
      try {
        body = JSON.parse(request.responseText);
      } catch {
        body = null;
      }
      resolve({ status: request.status, body });
    });
    request.addEventListener("error", () => reject(new Error("network")));
    request.addEventListener("abort", () => reject(new Error("aborted")));

    if (file) {
      const form = new FormData();
      form.append("operations", JSON.stringify({ query, variables }));
      form.append("map", JSON.stringify({ 0: [filePath] }));
      form.append("0", file, file.name);
      request.send(form);
    } else {
      request.setRequestHeader("Content-Type", "application/json");
      request.send(JSON.stringify({ query, variables }));
    }
  });
}

/** The first top-level error of a response, or a synthetic one for non-GraphQL answers. */
function topLevelError(response) {
  const error = response.body && Array.isArray(response.body.errors) ? response.body.errors[0] : null;
  if (error)
    return {
      code: error.extensions?.code ?? "INTERNAL_SERVER_ERROR",
      message: error.message ?? "",
      extensions: error.extensions ?? {},
    };
  if (!response.body || !response.body.data) {
    const code =
      response.status === 413
        ? "PAYLOAD_TOO_LARGE"
        : response.status === 401
          ? "UNAUTHENTICATED"
          : "HTTP_" + response.status;
    return {
      code,
      message: `The gateway answered HTTP ${response.status} without a GraphQL body.`,
      extensions: {},
    };
  }
  return null;
}

function topLevelErrorInWords(error) {
  const known = TOP_LEVEL_ERRORS[error.code];
  const title = known ? known[0] : "Request failed";
  let text = known && known[1] ? known[1] : error.message;
  if (error.code === "TELEGRAM_ERROR" && error.extensions.telegram?.message) {
    text += ` Telegram said ${error.extensions.telegram.message}.`;
  }
  return { title, text };
}

// ---------------------------------------------------------------------------------------------
// Contacts

async function loadContacts() {
  elements.contactsStatus.textContent = "Loading contacts…";
  elements.refreshContacts.disabled = true;
  try {
    const response = await sendGraphQL({ query: CONTACTS_QUERY, variables: {} });
    const error = topLevelError(response);
    if (error) {
      const words = topLevelErrorInWords(error);
      if (error.code === "UNAUTHENTICATED") elements.settings.open = true;
      elements.contactsStatus.textContent = `${words.title}: ${words.text}`;
      elements.me.textContent = "Not connected.";
      return;
    }
    const { me, contacts } = response.body.data;
    elements.me.textContent = `Signed in as ${displayName(me)}${me.username ? ` (@${me.username})` : ""}, id ${me.id}.`;
    state.contacts = new Map(contacts.edges.map((edge) => [edge.node.id, edge.node]));
    renderContacts();
    const count = contacts.edges.length;
    elements.contactsStatus.textContent =
      count === 0
        ? "No contacts yet."
        : `${count} of ${contacts.totalCount} contact${contacts.totalCount === 1 ? "" : "s"}.`;
  } catch {
    elements.contactsStatus.textContent = "Could not reach the gateway.";
    elements.me.textContent = "Not connected.";
  } finally {
    elements.refreshContacts.disabled = false;
  }
}

function renderContacts() {
  const selected = elements.userId.value.trim();
  const items = [...state.contacts.values()].map((contact) => {
    const handle = contact.username ? `@${contact.username}` : contact.id;
    const photo = contact.personalPhoto;
    const button = h(
      "button",
      {
        type: "button",
        className: "contact",
        "data-user-id": contact.id,
        "aria-pressed": String(selected === handle || selected === contact.id),
      },
      avatar(contact),
      h(
        "span",
        { className: "contact-text" },
        h("span", { className: "contact-name" }, displayName(contact)),
        h(
          "span",
          { className: "contact-meta" },
          `${contact.username ? `@${contact.username} · ` : ""}id ${contact.id}`,
        ),
        h(
          "span",
          { className: photo ? "contact-photo has-photo" : "contact-photo" },
          photo ? `Personal photo ${photo.id}${photo.isAnimated ? " (animated)" : ""}` : "No personal photo",
        ),
      ),
    );
    button.addEventListener("click", () => {
      elements.userId.value = handle;
      renderContacts();
      elements.file.focus();
    });
    return h("li", {}, button);
  });
  elements.contacts.replaceChildren(...items);
}

function avatar(user) {
  const picture = photoElement(user.personalPhoto, "avatar", 44);
  if (picture) return picture;
  const initials = displayName(user)
    .replace(/^@/, "")
    .split(/\s+/)
    .map((word) => word[0] ?? "")
    .join("")
    .slice(0, 2)
    .toUpperCase();
  const hue = [...user.id].reduce((sum, digit) => sum + digit.charCodeAt(0) * 37, 0) % 360;
  const element = h("span", { className: "avatar", "aria-hidden": "true" }, initials);
  element.style.setProperty("--avatar-hue", String(hue));
  return element;
}

/**
 * The photo as the gateway serves it (/media, signed URLs that work in src attributes): the video
 * of an animated photo, else the smallest picture size at least `side` px (Telegram's sizes are
 * listed smallest first), with the stripped thumbnail as a blurred placeholder while it loads.
 */
function photoElement(photo, className, side) {
  if (!photo) return null;
  const video = photo.videoSizes.find((size) => size.__typename === "VideoSizeVideo" && size.url);
  const pictures = photo.sizes.filter((size) => size.url && !size.url.startsWith("data:"));
  const picture = pictures.find((size) => Math.max(size.width, size.height) >= side) ?? pictures.at(-1);
  const poster = picture?.url ?? photo.strippedThumb ?? undefined;
  const element = video
    ? h("video", {
        className,
        src: video.url,
        poster,
        muted: true,
        loop: true,
        autoplay: true,
        playsinline: true,
        "aria-label": "Animated photo",
      })
    : picture
      ? h("img", { className, src: picture.url, alt: "" })
      : null;
  // The muted attribute alone does not let every browser autoplay; the property does.
  if (element instanceof HTMLVideoElement) element.muted = true;
  if (element && photo.strippedThumb) element.style.backgroundImage = `url("${photo.strippedThumb}")`;
  return element;
}

// ---------------------------------------------------------------------------------------------
// Form

function currentIntent() {
  return new FormData(elements.form).get("intent");
}

function isVideo(file) {
  return file.type.startsWith("video/") || /\.mp4$/i.test(file.name);
}

function updateFormForIntent() {
  const removing = currentIntent() === "remove";
  elements.mediaFields.hidden = removing;
  const file = elements.file.files[0];
  elements.videoStartField.hidden = removing || !file || !isVideo(file);
  elements.submit.textContent = removing
    ? "Remove photo"
    : currentIntent() === "suggest"
      ? "Suggest photo"
      : "Set photo";
}

function updatePreview() {
  if (state.previewUrl) URL.revokeObjectURL(state.previewUrl);
  state.previewUrl = null;
  const file = elements.file.files[0];
  elements.previewImage.hidden = true;
  elements.previewVideo.hidden = true;
  elements.previewImage.removeAttribute("src");
  elements.previewVideo.removeAttribute("src");
  if (!file) {
    elements.preview.hidden = true;
    updateFormForIntent();
    return;
  }
  state.previewUrl = URL.createObjectURL(file);
  const target = isVideo(file) ? elements.previewVideo : elements.previewImage;
  target.src = state.previewUrl;
  target.hidden = false;
  elements.previewCaption.textContent = `${file.name} · ${formatBytes(file.size)}`;
  elements.preview.hidden = false;
  updateFormForIntent();
}

function formatBytes(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

function showProgress(loaded, total) {
  const percent = total > 0 ? Math.round((loaded / total) * 100) : 0;
  elements.progressRow.hidden = false;
  elements.progress.value = percent;
  elements.progressText.textContent = percent >= 100 ? "Sent; waiting for Telegram…" : `${percent}%`;
}

function setBusy(busy) {
  state.busy = busy;
  elements.submit.disabled = busy || state.floodTimer !== null;
  elements.result.setAttribute("aria-busy", String(busy));
}

async function onSubmit(event) {
  event.preventDefault();
  if (state.busy) return;
  const intent = currentIntent();
  const typedUser = elements.userId.value.trim();
  const file = elements.file.files[0] ?? null;

  elements.userId.removeAttribute("aria-invalid");
  elements.file.removeAttribute("aria-invalid");
  if (!typedUser) {
    elements.userId.setAttribute("aria-invalid", "true");
    renderMessage("error", "Who?", "Pick a contact or type a numeric id or @username.", "MISSING_USER");
    elements.userId.focus();
    return;
  }
  if (intent !== "remove" && !file) {
    elements.file.setAttribute("aria-invalid", "true");
    renderMessage("error", "No file", "Pick an image or a video to send.", "MISSING_FILE");
    elements.file.focus();
    return;
  }

  elements.progressRow.hidden = true;
  elements.countdown.textContent = "";
  setBusy(true);
  renderMessage("pending", "Working…", intent === "remove" ? "Removing the photo…" : "Uploading…", null);
  try {
    const response =
      intent === "remove" ? await sendRemove(typedUser) : await sendPhoto(intent, typedUser, file);
    renderResponse(intent, typedUser, file, response);
  } catch {
    renderMessage(
      "error",
      "Gateway unreachable",
      "The request did not reach the gateway. Is it running?",
      "NETWORK_ERROR",
    );
  } finally {
    elements.progressRow.hidden = true;
    setBusy(false);
  }
}

function sendPhoto(intent, userId, file) {
  const video = isVideo(file);
  const startTs = elements.videoStartTs.value.trim();
  // The multipart spec wants `null` where the file goes; the `map` part points at that path.
  const input = video
    ? { userId, video: null, ...(startTs !== "" ? { videoStartTs: Number(startTs) } : {}) }
    : { userId, photo: null };
  return sendGraphQL({
    query: PHOTO_MUTATIONS[intent],
    variables: { input },
    file,
    filePath: video ? "variables.input.video" : "variables.input.photo",
    onUploadProgress: showProgress,
  });
}

function sendRemove(userId) {
  return sendGraphQL({ query: REMOVE_MUTATION, variables: { userId } });
}

// ---------------------------------------------------------------------------------------------
// Results

function renderResponse(intent, typedUser, file, response) {
  const error = topLevelError(response);
  if (error) {
    const words = topLevelErrorInWords(error);
    if (error.code === "UNAUTHENTICATED") elements.settings.open = true;
    renderMessage(
      "error",
      words.title,
      words.text,
      error.code,
      error.message && error.message !== words.text ? error.message : null,
    );
    return;
  }
  const data = response.body.data;
  const result = data.setContactPhoto ?? data.suggestContactPhoto ?? data.removeContactPhoto;
  if (!result) {
    // Not a network failure: say what came back instead of letting a TypeError read as "unreachable".
    renderMessage("error", "Unexpected answer", "The gateway answered without a result.", null);
    return;
  }
  const who = describeTypedUser(typedUser);

  switch (result.__typename) {
    case "ContactPhotoPayload":
      renderPhotoPayload(result);
      void loadContacts();
      return;
    case "RemoveContactPhotoPayload":
      renderMessage(
        "success",
        "Photo removed",
        `${displayName(result.user)} shows their own photo to you again.`,
        null,
      );
      void loadContacts();
      return;
    case "ContactMissingError":
      renderMessage(
        "error",
        "Not a contact",
        `${who} is not in your contacts. Telegram only lets you set or suggest a photo for your contacts; add them first.`,
        result.code,
      );
      return;
    case "UserNotFoundError":
      renderMessage(
        "error",
        "No such user",
        `Telegram does not know ${result.userId}. Check the id or @username.`,
        result.code,
      );
      return;
    case "InvalidMediaError":
      renderMessage(
        "error",
        "This file cannot be used",
        `The ${result.field} was not accepted: ${result.message}`,
        result.code,
        result.mediaTelegramError ? `Telegram said ${result.mediaTelegramError}.` : null,
      );
      return;
    case "FloodWaitError":
      renderFloodWait(result.retryAfterSeconds);
      return;
    case "TelegramRejectedError":
      renderMessage(
        "error",
        "Telegram refused",
        `Telegram refused the request: ${result.telegramError} (error ${result.telegramCode}).`,
        result.code,
        result.message,
      );
      return;
    default:
      renderMessage("error", "Unexpected answer", `The gateway answered with ${result.__typename}.`, null);
  }
}

function resultCard(kind, title, code, ...body) {
  const card = h(
    "div",
    { className: `result-card ${kind}`, "data-kind": kind, "data-code": code },
    h("h3", {}, title, code ? h("code", { className: "code" }, code) : null),
    ...body,
  );
  elements.result.replaceChildren(card);
  return card;
}

function renderMessage(kind, title, text, code, detail = null) {
  resultCard(kind, title, code, h("p", {}, text), detail ? h("p", { className: "hint" }, detail) : null);
}

function renderPhotoPayload(payload) {
  const { photo, user, suggested } = payload;
  const title = suggested ? "Suggestion sent" : "Photo set";
  const explanation = suggested
    ? `${displayName(user)} got a suggestion in your chat; their photo changes only if they accept it.`
    : `Only you see this photo for ${displayName(user)}.`;
  const details = h(
    "dl",
    { className: "photo-details" },
    h("dt", {}, "Photo id"),
    h("dd", { "data-photo-id": photo.id }, photo.id),
    h("dt", {}, "Stored"),
    h("dd", {}, new Date(photo.date).toLocaleString()),
    h("dt", {}, "Sizes"),
    h("dd", {}, photo.sizes.length ? describeSizes(photo.sizes) : "none"),
    photo.isAnimated ? h("dt", {}, "Animated") : null,
    photo.isAnimated
      ? h(
          "dd",
          {},
          photo.videoSizes
            .filter((size) => size.__typename === "VideoSizeVideo")
            .map(
              (size) =>
                `${size.type} ${size.width}×${size.height}${size.videoStartTs ? ` from ${size.videoStartTs} s` : ""}`,
            )
            .join(", ") || "yes",
        )
      : null,
  );
  // What Telegram stored, downloaded through the gateway, not the local file.
  const thumbnail = photoElement(photo, "result-thumb", 88);
  resultCard(
    "success",
    title,
    null,
    h("div", { className: "result-body" }, thumbnail, h("div", {}, h("p", {}, explanation), details)),
  );
}

function renderFloodWait(seconds) {
  const timer = h("p", { className: "timer", role: "timer", "aria-live": "off" });
  resultCard(
    "error",
    "Too many requests",
    "FLOOD_WAIT",
    h("p", {}, `Telegram asks to wait ${seconds} second${seconds === 1 ? "" : "s"} before trying again.`),
    timer,
  );
  startFloodCountdown(seconds, timer);
}

function startFloodCountdown(seconds, timer) {
  if (state.floodTimer !== null) clearInterval(state.floodTimer);
  const deadline = Date.now() + seconds * 1000;
  const tick = () => {
    const remaining = Math.ceil((deadline - Date.now()) / 1000);
    if (remaining > 0) {
      timer.textContent = `Try again in ${remaining} s`;
      return;
    }
    clearInterval(state.floodTimer);
    state.floodTimer = null;
    timer.textContent = "You can try again now.";
    elements.countdown.textContent = "You can try again now.";
    elements.submit.disabled = state.busy;
  };
  state.floodTimer = setInterval(tick, 250);
  elements.submit.disabled = true;
  tick();
}

// ---------------------------------------------------------------------------------------------
// Wiring

elements.token.value = sessionStorage.getItem(TOKEN_STORAGE_KEY) ?? "";
elements.token.addEventListener("input", () => {
  const token = elements.token.value.trim();
  if (token) sessionStorage.setItem(TOKEN_STORAGE_KEY, token);
  else sessionStorage.removeItem(TOKEN_STORAGE_KEY);
});
elements.token.addEventListener("change", () => void loadContacts());
elements.token.addEventListener("keydown", (event) => {
  // Enter here means "use this token", not "send the photo".
  if (event.key !== "Enter") return;
  event.preventDefault();
  void loadContacts();
});
elements.file.addEventListener("change", updatePreview);
elements.userId.addEventListener("input", renderContacts);
for (const radio of elements.form.querySelectorAll('input[name="intent"]')) {
  radio.addEventListener("change", updateFormForIntent);
}
elements.form.addEventListener("submit", (event) => void onSubmit(event));
elements.refreshContacts.addEventListener("click", () => void loadContacts());

updateFormForIntent();
void loadContacts();
