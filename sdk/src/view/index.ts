/**
 * @module The view machinery shared by the runtime and the shell (re-exports only): the component whitelist and
 * `validateViewTree`, `diffTrees` and `applyPatches`/`WireDocument`, style and URL rules, event detail types.
 */
export { COMPONENTS, COMPONENT_NAMES, componentSpec, type ComponentChildren, type ComponentName, type ComponentProps } from './registry.ts';
export { defineComponent, type ChildPolicy, type ComponentSpec } from './define-component.ts';
export { ICON_TYPES } from './components/content.ts';
export { validateViewTree, keyId, MAX_KEY_LENGTH, MAX_REPORTED_ERRORS, MAX_TEXT_LENGTH, type ValidateOptions, type ValidationResult } from './validate.ts';
export { diffTrees, longestIncreasing, type DiffResult } from './diff.ts';
export { applyPatches, PatchError, WireDocument } from './apply.ts';
export { cloneJson, cloneWire, counter, isWireText, jsonEqual, stripIds, toWire, wireKey, type WireElement, type WireText } from './wire.ts';
export { checkStyle, MAX_STYLE_PROPERTIES, STYLE_PROPERTIES, type Style, type StyleGrammar, type StyleProperty } from './style.ts';
export { HANDLER_NAME, isEventProp, MAX_STRING_PROP } from './props.ts';
export { imageSrcProblem, isAssetPath, isHttpsUrl, parseRoute, routeProblem, MAX_DATA_IMAGE_LENGTH, MAX_URL_LENGTH } from './url.ts';
export type * from './events.ts';
