// The association's work calendar (法定节假日, 调休上班日) as lists of "YYYY-MM-DD" dates.

/** The list with the date added, sorted; unchanged when it is already there or empty. */
export function addDate(dates: readonly string[], date: string | null | undefined): string[] {
  if (!date || dates.includes(date)) return [...dates]
  return [...dates, date].sort()
}

/** The list without the date. */
export function removeDate(dates: readonly string[], date: string): string[] {
  return dates.filter((d) => d !== date)
}
