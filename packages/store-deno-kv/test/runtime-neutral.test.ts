import { describeWebOnly } from "../../../scripts/source-scan.js";

// Deno KV runs on Deno and Deno Deploy: the store's sources use Web APIs only. (A use of the
// Deno global fails typecheck: the package has no Deno types.)
describeWebOnly("runtime neutrality", new URL("../src", import.meta.url), { minFiles: 4 });
