// F2: the CSV of accounts exported from the old system, as POST /api/v1/admin/legacy-accounts/import reads it.
/** The header row, in this order. */
export const LEGACY_COLUMNS = [
  'username',
  'password_hash',
  'hash_format',
  'salt',
  'unit_name',
  'uscc',
  'legal_representative',
  'address',
  'postcode',
  'contact_name',
  'contact_id_number',
  'contact_mobile',
  'contact_email',
] as const

export type LegacyColumn = (typeof LEGACY_COLUMNS)[number]

export const HASH_FORMATS = ['md5', 'md5_salted', 'sha1', 'sha1_salted', 'bcrypt'] as const

/**
 * The downloadable template: the header and one example row (UTF-8 with a BOM, for Excel).
 * The example is marked 示例 in its unit name, and the import refuses it (`example_row`).
 */
export function legacyTemplate(): string {
  const example = [
    'example_unit',
    'e10adc3949ba59abbe56e057f20f883e',
    'md5',
    '',
    '示例单位（导入前请删除本行）',
    '91350200MA00000000',
    '张三',
    '福建省厦门市思明区湖滨南路200号',
    '361001',
    '李四',
    '11010519491231002X',
    '13800138000',
    'lisi@example.com',
  ]
  return `\uFEFF${LEGACY_COLUMNS.join(',')}\r\n${example.join(',')}\r\n`
}
