/** Task and drive ids: 1–128 characters, each a letter, digit or one of _ . : - */
export const ID_PATTERN = /^[A-Za-z0-9_.:-]{1,128}$/;
export const ID_RULE = 'must be 1-128 characters, each a letter, digit or one of _ . : -';
