/** A UTF-16 surrogate without its pair: not a character, and no XML or DOCX export can hold it. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g
/** Control characters other than tab and line breaks: nobody types them, and XML 1.0 forbids them. */
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g

/** Whether text a person sent holds something that is not text. */
export const hasUnprintable = (text: string): boolean => text.search(LONE_SURROGATE) >= 0 || text.search(CONTROL) >= 0

/** The text without what is not text: for text taken from a file rather than typed. */
export const withoutUnprintable = (text: string): string => text.replace(LONE_SURROGATE, '').replace(CONTROL, '')
