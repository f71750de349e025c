// The seven technical fields of the center's programs (GLOSSARY.md). Defined once: the schema's
// `technical_field` enum, the forms' options and the filters all take this list. Plain data,
// so db/schema, the server and the browser can all import it.
export const TECHNICAL_FIELDS = [
	'electronicInformation',
	'biomedicine',
	'newMaterials',
	'optoMechatronics',
	'resourcesEnvironment',
	'newEnergy',
	'highTechServices'
] as const;
export type TechnicalField = (typeof TECHNICAL_FIELDS)[number];
