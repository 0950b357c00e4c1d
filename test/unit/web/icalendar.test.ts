import { expect } from 'chai';
import type { Circle } from '../../../src/domain/circles/circle.js';
import type { Meeting } from '../../../src/domain/meetings/meeting.js';
import type { Schedule } from '../../../src/domain/meetings/recurrence.js';
import { escapeText, foldLine, meetingsCalendar, rruleOf, utcDateTime, vtimezone } from '../../../src/web/icalendar.js';

const schedule: Schedule = {
  startDate: '2027-03-16',
  startTime: '19:00',
  timeZone: 'Europe/Berlin',
  durationMinutes: 90,
  recurrence: 'weekly',
  repeatUntil: null,
};

describe('the iCalendar writer', () => {
  it('escapes TEXT: backslash, comma, semicolon and newlines; drops other control characters', () => {
    expect(escapeText('a\\b, c; d\ne\r\nf\rg')).to.equal('a\\\\b\\, c\\; d\\ne\\nf\\ng');
    expect(escapeText('tab\there\u0000\u0007 bell')).to.equal('tab\there bell');
    expect(escapeText('colon: "quotes" stay')).to.equal('colon: "quotes" stay');
  });

  it('folds lines at 75 octets without splitting a UTF-8 character, and unfolds to the same text', () => {
    const short = 'SUMMARY:short';
    expect(foldLine(short)).to.equal(short);
    const ascii = `DESCRIPTION:${'x'.repeat(200)}`;
    const folded = foldLine(ascii);
    const lines = folded.split('\r\n');
    // 212 octets: 75 on the first line, then a space and 74, then a space and the last 63.
    expect(lines.map((l) => Buffer.byteLength(l))).to.deep.equal([75, 75, 64]);
    expect(lines.slice(1).every((l) => l.startsWith(' '))).to.equal(true);
    expect(folded.replace(/\r\n /g, '')).to.equal(ascii);

    // Two-, three- and four-octet characters, placed so that naive folding would cut one in half.
    const mixed = `DESCRIPTION:${'é'.repeat(40)}${'歓迎'.repeat(30)}${'🫂'.repeat(20)}x`;
    const out = foldLine(mixed);
    for (const line of out.split('\r\n')) {
      expect(Buffer.byteLength(line, 'utf8')).to.be.at.most(75);
      // Each line is whole UTF-8 on its own: decoding and encoding gives back the same bytes.
      expect(Buffer.from(Buffer.from(line, 'utf8').toString('utf8'), 'utf8').equals(Buffer.from(line, 'utf8'))).to.equal(true);
      expect(line).not.to.contain('\uFFFD');
    }
    expect(out.replace(/\r\n /g, '')).to.equal(mixed);
    // The first line stops before a character that would make it 76 octets.
    expect(Buffer.byteLength(foldLine(`X:${'a'.repeat(72)}é`).split('\r\n')[0]!)).to.equal(74);
  });

  it('writes RRULEs: weekly, monthly by weekday position (or the last), UNTIL in UTC at the end of the last day', () => {
    expect(rruleOf({ ...schedule, recurrence: 'none' })).to.equal(undefined);
    expect(rruleOf(schedule)).to.equal('FREQ=WEEKLY');
    expect(rruleOf({ ...schedule, recurrence: 'monthly', startDate: '2027-03-09' })).to.equal('FREQ=MONTHLY;BYDAY=2TU');
    expect(rruleOf({ ...schedule, recurrence: 'monthly', startDate: '2027-03-30' })).to.equal('FREQ=MONTHLY;BYDAY=-1TU');
    // 30 June 2027 ends at midnight Berlin summer time: 21:59:59 UTC.
    expect(rruleOf({ ...schedule, repeatUntil: '2027-06-30' })).to.equal('FREQ=WEEKLY;UNTIL=20270630T215959Z');
    expect(rruleOf({ ...schedule, recurrence: 'monthly', startDate: '2027-01-04', repeatUntil: '2027-12-31', timeZone: 'America/New_York' })).to.equal(
      'FREQ=MONTHLY;BYDAY=1MO;UNTIL=20280101T045959Z',
    );
    expect(utcDateTime(new Date('2027-03-16T18:00:00.123Z'))).to.equal('20270316T180000Z');
  });

  it('describes time zones with yearly rules where they follow one, and each change where they do not', () => {
    const berlin = vtimezone('Europe/Berlin', 2026).join('\n');
    expect(berlin).to.contain(
      'BEGIN:DAYLIGHT\nDTSTART:20260329T020000\nTZOFFSETFROM:+0100\nTZOFFSETTO:+0200\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\nEND:DAYLIGHT',
    );
    expect(berlin).to.contain(
      'BEGIN:STANDARD\nDTSTART:20261025T030000\nTZOFFSETFROM:+0200\nTZOFFSETTO:+0100\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\nEND:STANDARD',
    );
    expect(vtimezone('America/New_York', 2026).join('\n')).to.contain('RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU');
    // "The Friday before the last Sunday" is the Friday on or after the 23rd.
    expect(vtimezone('Asia/Jerusalem', 2026).join('\n')).to.contain('RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=FR;BYMONTHDAY=23,24,25,26,27,28,29');
    expect(vtimezone('Asia/Kolkata', 2026)).to.deep.equal([
      'BEGIN:VTIMEZONE',
      'TZID:Asia/Kolkata',
      'BEGIN:STANDARD',
      'DTSTART:20260101T000000',
      'TZOFFSETFROM:+0530',
      'TZOFFSETTO:+0530',
      'END:STANDARD',
      'END:VTIMEZONE',
    ]);
  });

  it('writes a whole calendar: CRLF lines, one VTIMEZONE per zone, VEVENTs with local DTSTART and TZID', () => {
    const circle = { slug: 'voices', name: 'Hearing voices', visibility: 'public' } as Circle;
    const base: Meeting = {
      ...schedule,
      id: 4,
      circleId: 1,
      title: 'Evening group, with tea; all welcome',
      descriptionSource: 'Line one\nLine two',
      descriptionHtml: '',
      place: '',
      link: 'https://meet.example/room',
      contact: '',
      createdBy: 1,
      createdAt: new Date('2027-01-01T10:00:00Z'),
      updatedAt: new Date('2027-01-02T10:00:00Z'),
      sequence: 2,
      cancelledAt: null,
    };
    const ics = meetingsCalendar({
      name: 'Meetings of Hearing voices',
      host: 'hearth.example',
      origin: 'https://hearth.example',
      meetings: [
        { meeting: base, circle, next: [] },
        { meeting: { ...base, id: 5, recurrence: 'none', timeZone: 'Asia/Kolkata' }, circle, next: [] },
        { meeting: { ...base, id: 6, startTime: '08:00' }, circle, next: [] },
      ],
    });
    expect(ics.endsWith('END:VCALENDAR\r\n')).to.equal(true);
    expect(ics.split('\r\n').slice(0, 3)).to.deep.equal(['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Hearth//Circle meetings//EN']);
    expect(ics.match(/BEGIN:VTIMEZONE/g)).to.have.length(2);
    expect(ics.match(/BEGIN:VEVENT/g)).to.have.length(3);
    const unfolded = ics.replace(/\r\n /g, '');
    expect(unfolded).to.contain(
      [
        'BEGIN:VEVENT',
        'UID:meeting-4@hearth.example',
        'DTSTAMP:20270102T100000Z',
        'CREATED:20270101T100000Z',
        'LAST-MODIFIED:20270102T100000Z',
        'SEQUENCE:2',
        'DTSTART;TZID=Europe/Berlin:20270316T190000',
        'DURATION:PT90M',
        'RRULE:FREQ=WEEKLY',
        'SUMMARY:Evening group\\, with tea\\; all welcome',
        'DESCRIPTION:Line one\\nLine two\\n\\nLink: https://meet.example/room\\n\\nHearing voices: https://hearth.example/c/voices/meetings/4',
        'LOCATION:https://meet.example/room',
        'URL:https://hearth.example/c/voices/meetings/4',
        'END:VEVENT',
      ].join('\r\n'),
    );
    expect(unfolded).to.contain('DTSTART;TZID=Asia/Kolkata:20270316T190000\r\nDURATION:PT90M\r\nSUMMARY:');
  });
});
