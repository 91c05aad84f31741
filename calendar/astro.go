package calendar

import "math"

// The astronomy behind the lunisolar calendar, written from the formulas
// published in Jean Meeus, Astronomical Algorithms (2nd ed., 1998):
//
//   - chapter 49 (Phases of the Moon): the mean new moon series and its
//     periodic and planetary correction terms;
//   - chapter 25 (Solar Coordinates): the sun's apparent longitude, low
//     accuracy (about 0.01°, which is what the calendar needs);
//   - chapter 10 (Dynamical Time and Universal Time): the offset ΔT = TT − UT,
//     here with the polynomial fits of Espenak and Meeus (NASA, 2006).
//
// Times are Julian Ephemeris Days (JDE, Terrestrial Time) unless named UT.

const (
	deg = math.Pi / 180

	// jdUnixEpoch is the Julian Day of 1970-01-01 00:00 UT.
	jdUnixEpoch = 2440587.5
)

// newMoonJDE returns the instant (JDE, TT) of the new moon of lunation k,
// k = 0 being the new moon of 6 January 2000 (Meeus ch. 49).
func newMoonJDE(k int) float64 {
	kf := float64(k)
	T := kf / 1236.85 // Julian centuries from J2000.0 (Meeus 49.3)
	T2, T3, T4 := T*T, T*T*T, T*T*T*T

	// Mean phase (Meeus 49.1).
	jde := 2451550.09766 + 29.530588861*kf + 0.00015437*T2 - 0.000000150*T3 + 0.00000000073*T4

	// Eccentricity of the Earth's orbit (Meeus 47.6): it damps the terms
	// that depend on the sun's anomaly.
	E := 1 - 0.002516*T - 0.0000074*T2
	// Sun's mean anomaly (49.4), Moon's mean anomaly (49.5), Moon's
	// argument of latitude (49.6) and the longitude of the ascending node of
	// the lunar orbit (49.7), in degrees.
	M := (2.5534 + 29.10535670*kf - 0.0000014*T2 - 0.00000011*T3) * deg
	Mp := (201.5643 + 385.81693528*kf + 0.0107582*T2 + 0.00001238*T3 - 0.000000058*T4) * deg
	F := (160.7108 + 390.67050284*kf - 0.0016118*T2 - 0.00000227*T3 + 0.000000011*T4) * deg
	Om := (124.7746 - 1.56375588*kf + 0.0020672*T2 + 0.00000215*T3) * deg

	// Periodic terms for the new moon (Meeus ch. 49, table of corrections
	// "New Moon"), in days.
	s := math.Sin
	jde += -0.40720*s(Mp) +
		0.17241*E*s(M) +
		0.01608*s(2*Mp) +
		0.01039*s(2*F) +
		0.00739*E*s(Mp-M) -
		0.00514*E*s(Mp+M) +
		0.00208*E*E*s(2*M) -
		0.00111*s(Mp-2*F) -
		0.00057*s(Mp+2*F) +
		0.00056*E*s(2*Mp+M) -
		0.00042*s(3*Mp) +
		0.00042*E*s(M+2*F) +
		0.00038*E*s(M-2*F) -
		0.00024*E*s(2*Mp-M) -
		0.00017*s(Om) -
		0.00007*s(Mp+2*M) +
		0.00004*s(2*Mp-2*F) +
		0.00004*s(3*M) +
		0.00003*s(Mp+M-2*F) +
		0.00003*s(2*Mp+2*F) -
		0.00003*s(Mp+M+2*F) +
		0.00003*s(Mp-M+2*F) -
		0.00002*s(Mp-M-2*F) -
		0.00002*s(3*Mp+M) +
		0.00002*s(4*Mp)

	// Additional corrections for all phases: planetary arguments A1–A14
	// (Meeus ch. 49), in degrees, and their coefficients in days.
	a := [14]float64{
		299.77 + 0.107408*kf - 0.009173*T2,
		251.88 + 0.016321*kf,
		251.83 + 26.651886*kf,
		349.42 + 36.412478*kf,
		84.66 + 18.206239*kf,
		141.74 + 53.303771*kf,
		207.14 + 2.453732*kf,
		154.84 + 7.306860*kf,
		34.52 + 27.261239*kf,
		207.19 + 0.121824*kf,
		291.34 + 1.844379*kf,
		161.72 + 24.198154*kf,
		239.56 + 25.513099*kf,
		331.55 + 3.592518*kf,
	}
	c := [14]float64{
		0.000325, 0.000165, 0.000164, 0.000126, 0.000110, 0.000062, 0.000060,
		0.000056, 0.000047, 0.000042, 0.000040, 0.000037, 0.000035, 0.000023,
	}
	for i := range a {
		jde += c[i] * s(a[i]*deg)
	}
	return jde
}

// sunLongitude returns the sun's apparent geocentric longitude, in degrees
// in [0, 360), at jde (Meeus ch. 25, "low accuracy" method).
func sunLongitude(jde float64) float64 {
	T := (jde - 2451545.0) / 36525 // Julian centuries from J2000.0 (25.1)
	// Geometric mean longitude (25.2) and mean anomaly (25.3) of the sun.
	L0 := 280.46646 + 36000.76983*T + 0.0003032*T*T
	M := (357.52911 + 35999.05029*T - 0.0001537*T*T) * deg
	// Equation of the centre.
	C := (1.914602-0.004817*T-0.000014*T*T)*math.Sin(M) +
		(0.019993-0.000101*T)*math.Sin(2*M) +
		0.000289*math.Sin(3*M)
	// True longitude, then the apparent one: aberration and nutation in
	// longitude approximated through the longitude of the moon's node.
	omega := (125.04 - 1934.136*T) * deg
	lambda := L0 + C - 0.00569 - 0.00478*math.Sin(omega)
	lambda = math.Mod(lambda, 360)
	if lambda < 0 {
		lambda += 360
	}
	return lambda
}

// sunLongitudeTime returns the instant (JDE) near guess at which the sun's
// apparent longitude equals target degrees. It uses the correction of Meeus
// ch. 27 (equinoxes and solstices): JDE += 58 sin(target − λ), which converges
// in a few steps because the sun moves about 1/58 radian per day.
func sunLongitudeTime(target, guess float64) float64 {
	jde := guess
	for range 50 {
		corr := 58 * math.Sin((target-sunLongitude(jde))*deg)
		jde += corr
		if math.Abs(corr) < 1e-7 {
			break
		}
	}
	return jde
}

// deltaT returns ΔT = TT − UT in seconds for the decimal year y, from the
// polynomial fits of Espenak and Meeus ("Polynomial expressions for Delta T",
// NASA, 2006), the modern successor of the table in Meeus ch. 10. Outside
// 1800–2150 it uses their long-term parabola. A minute of error here moves a
// new moon by a minute, which matters only for new moons within a minute of
// midnight.
func deltaT(y float64) float64 {
	switch {
	case y >= 1800 && y < 1860:
		t := y - 1800
		return 13.72 - 0.332447*t + 0.0068612*t*t + 0.0041116*t*t*t - 0.00037436*math.Pow(t, 4) +
			0.0000121272*math.Pow(t, 5) - 0.0000001699*math.Pow(t, 6) + 0.000000000875*math.Pow(t, 7)
	case y >= 1860 && y < 1900:
		t := y - 1860
		return 7.62 + 0.5737*t - 0.251754*t*t + 0.01680668*t*t*t - 0.0004473624*math.Pow(t, 4) + math.Pow(t, 5)/233174
	case y >= 1900 && y < 1920:
		t := y - 1900
		return -2.79 + 1.494119*t - 0.0598939*t*t + 0.0061966*t*t*t - 0.000197*math.Pow(t, 4)
	case y >= 1920 && y < 1941:
		t := y - 1920
		return 21.20 + 0.84493*t - 0.076100*t*t + 0.0020936*t*t*t
	case y >= 1941 && y < 1961:
		t := y - 1950
		return 29.07 + 0.407*t - t*t/233 + t*t*t/2547
	case y >= 1961 && y < 1986:
		t := y - 1975
		return 45.45 + 1.067*t - t*t/260 - t*t*t/718
	case y >= 1986 && y < 2005:
		t := y - 2000
		return 63.86 + 0.3345*t - 0.060374*t*t + 0.0017275*t*t*t + 0.000651814*math.Pow(t, 4) + 0.00002373599*math.Pow(t, 5)
	case y >= 2005 && y < 2050:
		t := y - 2000
		return 62.92 + 0.32217*t + 0.005589*t*t
	case y >= 2050 && y < 2150:
		u := (y - 1820) / 100
		return -20 + 32*u*u - 0.5628*(2150-y)
	default:
		u := (y - 1820) / 100
		return -20 + 32*u*u
	}
}

// jdeToUT converts an instant from Terrestrial Time to Universal Time.
func jdeToUT(jde float64) float64 {
	return jde - deltaT(decimalYear(jde))/86400
}

// utToJDE converts an instant from Universal Time to Terrestrial Time.
func utToJDE(jd float64) float64 {
	return jd + deltaT(decimalYear(jd))/86400
}

// decimalYear is the (approximate) Gregorian year of a Julian Day, precise
// enough to pick ΔT.
func decimalYear(jd float64) float64 { return 2000 + (jd-2451545.0)/365.25 }
