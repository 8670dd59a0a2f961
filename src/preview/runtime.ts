// Installed before the functions modules load, so that their CustomFunctions.associate
// calls register them with the preview's engine, as Excel's runtime would.
import { installCustomFunctionsRuntime } from "../host/preview/customFunctions";

export const ltvFunctions = installCustomFunctionsRuntime();
