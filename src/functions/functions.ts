/*
 * The entry of the custom-functions bundle (dist/functions.js). Each module registers its
 * functions with CustomFunctions.associate, which the build appends from their JSDoc.
 */
import "./clv";
import "./retentionModels";
import "./purchaseModels";
import "./commissions";
import { prepareKernels } from "../core/kernels";

// The likelihoods' WebAssembly kernels compile while Excel's runtime starts, not on the first fit.
prepareKernels();
