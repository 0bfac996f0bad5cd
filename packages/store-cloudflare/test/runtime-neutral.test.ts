import { describeWebOnly } from "../../../scripts/source-scan.js";

// The store and its object run inside Workers without nodejs_compat: Web APIs only. (A use of a
// Cloudflare global fails typecheck: the package has no Workers types.) cloudflare:workers exists
// only inside workerd; the package also loads on Node and in tests.
describeWebOnly("runtime neutrality", new URL("../src", import.meta.url), {
  minFiles: 4,
  forbidden: /from\s+["']cloudflare:/,
});
