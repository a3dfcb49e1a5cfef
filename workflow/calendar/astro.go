package calendar

import "math"

// The astronomy behind the lunar calendar, written from the published
// algorithms of Jean Meeus, "Astronomical Algorithms" (2nd ed., 1998):
// chapter 49 for the instants of true new moons (mean phase plus periodic and
// planetary corrections), chapter 25 for the apparent longitude of the Sun,
// and the ΔT polynomials of Espenak & Meeus (NASA, "Five Millennium Canon of
// Solar Eclipses", 2006) to turn dynamical time into universal time.
//
// Julian Days here are plain float64 days. The calendar only needs the civil
// date on which a new moon or a solar term falls at a given UTC offset, so a
// few seconds of error matter only when an event falls within seconds of
// midnight; the tests compare the result with published tables year by year.

const (
	jdUnixEpoch = 2440587.5 // JD of 1970-01-01 00:00 UT
	rad         = math.Pi / 180
	synodic     = 29.530588861 // mean synodic month in days (Meeus 49.1)
	jdeK0       = 2451550.09766
)

// newMoonJDE returns the instant, in Julian Ephemeris Days (TT), of the true
// new moon number k, counted from the one of 2000-01-06 (k = 0).
func newMoonJDE(k int) float64 {
	kf := float64(k)
	t := kf / 1236.85
	t2, t3, t4 := t*t, t*t*t, t*t*t*t
	jde := jdeK0 + synodic*kf + 0.00015437*t2 - 0.000000150*t3 + 0.00000000073*t4

	e := 1 - 0.002516*t - 0.0000074*t2
	m := (2.5534 + 29.10535670*kf - 0.0000014*t2 - 0.00000011*t3) * rad                      // Sun's mean anomaly
	mp := (201.5643 + 385.81693528*kf + 0.0107582*t2 + 0.00001238*t3 - 0.000000058*t4) * rad // Moon's mean anomaly
	f := (160.7108 + 390.67050284*kf - 0.0016118*t2 - 0.00000227*t3 + 0.000000011*t4) * rad  // Moon's argument of latitude
	om := (124.7746 - 1.56375588*kf + 0.0020672*t2 + 0.00000215*t3) * rad                    // longitude of the ascending node

	s := math.Sin
	corr := -0.40720*s(mp) +
		0.17241*e*s(m) +
		0.01608*s(2*mp) +
		0.01039*s(2*f) +
		0.00739*e*s(mp-m) -
		0.00514*e*s(mp+m) +
		0.00208*e*e*s(2*m) -
		0.00111*s(mp-2*f) -
		0.00057*s(mp+2*f) +
		0.00056*e*s(2*mp+m) -
		0.00042*s(3*mp) +
		0.00042*e*s(m+2*f) +
		0.00038*e*s(m-2*f) -
		0.00024*e*s(2*mp-m) -
		0.00017*s(om) -
		0.00007*s(mp+2*m) +
		0.00004*s(2*mp-2*f) +
		0.00004*s(3*m) +
		0.00003*s(mp+m-2*f) +
		0.00003*s(2*mp+2*f) -
		0.00003*s(mp+m+2*f) +
		0.00003*s(mp-m+2*f) -
		0.00002*s(mp-m-2*f) -
		0.00002*s(3*mp+m) +
		0.00002*s(4*mp)

	// Planetary arguments (Meeus table 49.B and the additional corrections).
	planetary := [14][3]float64{
		{299.77, 0.107408, 0.000325},
		{251.88, 0.016321, 0.000165},
		{251.83, 26.651886, 0.000164},
		{349.42, 36.412478, 0.000126},
		{84.66, 18.206239, 0.000110},
		{141.74, 53.303771, 0.000062},
		{207.14, 2.453732, 0.000060},
		{154.84, 7.306860, 0.000056},
		{34.52, 27.261239, 0.000047},
		{207.19, 0.121824, 0.000042},
		{291.34, 1.844379, 0.000040},
		{161.72, 24.198154, 0.000037},
		{239.56, 25.513099, 0.000035},
		{331.55, 3.592518, 0.000023},
	}
	for i, p := range planetary {
		a := p[0] + p[1]*kf
		if i == 0 {
			a -= 0.009173 * t2
		}
		corr += p[2] * s(a*rad)
	}
	return jde + corr
}

// deltaT returns TT − UT in seconds for a decimal year, from the Espenak &
// Meeus polynomials. Beyond 2050 it is an extrapolation, as every published
// table of future lunar dates is; the uncertainty matters only for new moons
// within a minute or two of midnight.
func deltaT(y float64) float64 {
	switch {
	case y < 1860:
		u := (y - 1820) / 100
		return -20 + 32*u*u
	case y < 1900:
		t := y - 1860
		return 7.62 + 0.5737*t - 0.251754*t*t + 0.01680668*t*t*t - 0.0004473624*t*t*t*t + t*t*t*t*t/233174
	case y < 1920:
		t := y - 1900
		return -2.79 + 1.494119*t - 0.0598939*t*t + 0.0061966*t*t*t - 0.000197*t*t*t*t
	case y < 1941:
		t := y - 1920
		return 21.20 + 0.84493*t - 0.076100*t*t + 0.0020936*t*t*t
	case y < 1961:
		t := y - 1950
		return 29.07 + 0.407*t - t*t/233 + t*t*t/2547
	case y < 1986:
		t := y - 1975
		return 45.45 + 1.067*t - t*t/260 - t*t*t/718
	case y < 2005:
		t := y - 2000
		return 63.86 + 0.3345*t - 0.060374*t*t + 0.0017275*t*t*t + 0.000651814*t*t*t*t + 0.00002373599*t*t*t*t*t
	case y < 2050:
		t := y - 2000
		return 62.92 + 0.32217*t + 0.005589*t*t
	case y < 2150:
		u := (y - 1820) / 100
		return -20 + 32*u*u - 0.5628*(2150-y)
	default:
		u := (y - 1820) / 100
		return -20 + 32*u*u
	}
}

// decimalYear is good enough for ΔT, which changes by seconds per decade.
func decimalYear(jd float64) float64 { return 2000 + (jd-2451545.0)/365.25 }

// ttToUT converts a Julian Ephemeris Day to a Julian Day in UT.
func ttToUT(jde float64) float64 { return jde - deltaT(decimalYear(jde))/86400 }

// utToTT converts a Julian Day in UT to a Julian Ephemeris Day.
func utToTT(jd float64) float64 { return jd + deltaT(decimalYear(jd))/86400 }

// sunLongitude returns the apparent geocentric longitude of the Sun in
// degrees [0, 360) at the Julian Ephemeris Day jde (Meeus ch. 25, the
// "lower accuracy" method, good to about 0.01°; nutation and aberration
// enter through the Ω term).
func sunLongitude(jde float64) float64 {
	t := (jde - 2451545.0) / 36525
	l0 := 280.46646 + 36000.76983*t + 0.0003032*t*t
	m := (357.52911 + 35999.05029*t - 0.0001537*t*t) * rad
	c := (1.914602-0.004817*t-0.000014*t*t)*math.Sin(m) +
		(0.019993-0.000101*t)*math.Sin(2*m) +
		0.000289*math.Sin(3*m)
	om := (125.04 - 1934.136*t) * rad
	lambda := l0 + c - 0.00569 - 0.00478*math.Sin(om)
	lambda = math.Mod(lambda, 360)
	if lambda < 0 {
		lambda += 360
	}
	return lambda
}

// localDay returns the day number (days since 1970-01-01) of the civil date
// on which the UT instant jd falls at the given UTC offset in hours.
func localDay(jd, offsetHours float64) int {
	return int(math.Floor(jd - jdUnixEpoch + offsetHours/24))
}

// newMoonDay returns the local day number of new moon k.
func newMoonDay(k int, offsetHours float64) int {
	return localDay(ttToUT(newMoonJDE(k)), offsetHours)
}

// kNear returns the new moon number whose mean instant is nearest jd.
func kNear(jd float64) int {
	return int(math.Floor((jd-jdeK0)/synodic + 0.5))
}

// midnightJD returns the UT Julian Day of the local midnight that starts day.
func midnightJD(day int, offsetHours float64) float64 {
	return float64(day) + jdUnixEpoch - offsetHours/24
}

// sunSector returns which 30° sector of the ecliptic the Sun is in at the
// local midnight that starts day: sector i spans the major solar term
// (trung khí) at i×30° up to the next one. A lunar month contains a major
// term exactly when the sector changes between its first day and the first
// day of the next month.
func sunSector(day int, offsetHours float64) int {
	return int(sunLongitude(utToTT(midnightJD(day, offsetHours))) / 30)
}

// winterSolsticeDay returns the local day number of the December solstice
// (the Sun at 270°, Đông chí) of Gregorian year y.
func winterSolsticeDay(y int, offsetHours float64) int {
	// Start from 21 December and refine with Newton steps: the Sun moves
	// about 360/365.2422 degrees a day.
	jde := utToTT(midnightJD(daysFromCivil(y, 12, 21), 0))
	for i := 0; i < 6; i++ {
		d := 270 - sunLongitude(jde)
		if d > 180 {
			d -= 360
		} else if d < -180 {
			d += 360
		}
		jde += d * 365.2422 / 360
		if math.Abs(d) < 1e-7 {
			break
		}
	}
	return localDay(ttToUT(jde), offsetHours)
}

// daysFromCivil returns the number of days from 1970-01-01 to y-m-d in the
// proleptic Gregorian calendar (H. Hinnant's algorithm), without allocating
// or touching time.Time: the working calendar calls it in its hot path.
func daysFromCivil(y, m, d int) int {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era = (y - 399) / 400
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// civilFromDays is the inverse of daysFromCivil.
func civilFromDays(z int) (y, m, d int) {
	z += 719468
	era := z / 146097
	if z < 0 && z%146097 != 0 {
		era = (z - 146096) / 146097
	}
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y = yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d = doy - (153*mp+2)/5 + 1
	if mp < 10 {
		m = mp + 3
	} else {
		m = mp - 9
	}
	if m <= 2 {
		y++
	}
	return y, m, d
}
