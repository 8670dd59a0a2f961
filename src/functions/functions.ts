/*
 * The entry of the custom-functions bundle (dist/functions.js). Each module registers its
 * functions with CustomFunctions.associate, which the build appends from their JSDoc.
 */
import "./clv";
import "./retentionModels";
import "./purchaseModels";
import "./commissions";
