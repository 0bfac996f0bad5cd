/** Fixed messages by code: the page never echoes text from the URL. */
const MESSAGES: Record<string, string> = {
  invalid: "Use a lower-case name and a password of 8 characters or more.",
  "wrong-password": "Wrong password.",
  "signed-in": "Signed in.",
  revoked: "Session revoked.",
  "others-signed-out": "Every other session was signed out.",
};

export function Notice({ code }: { code: string | string[] | undefined }) {
  const text = typeof code === "string" ? MESSAGES[code] : undefined;
  return text === undefined ? null : <p data-testid="notice">{text}</p>;
}
