// Generated from templates/ by TemplateTests (ARXOS_RECORD_TEMPLATES=1 swift test --filter ShippedTemplateTests); do not edit.

/// The templates shipped inside the binary, by registry name (docs/templates.md, "The registry").
public enum ShippedTemplates {
    public static let files: [String: String] = [
        "composite/office-standard": #"""
# A standard office: standard HVAC, electrical and basic security, with office hours shared by HVAC and doors.
name: composite/office-standard
description: Office building - standard HVAC, standard electrical, basic security, 07:00-19:00 on weekdays.
includes: [hvac/standard, electrical/standard, security/basic]
parameters:
  occupiedStart:
    type: time
    default: "06:30"          # HVAC starts half an hour before the doors open
    min: "04:00"
    max: "12:00"
  occupiedEnd:
    type: time
    default: "19:00"
    min: "14:00"
    max: "24:00"
  unlockStart:
    type: time
    default: "07:00"
    min: "00:00"
    max: "12:00"
  unlockEnd:
    type: time
    default: "19:00"
    min: "12:00"
    max: "24:00"
rules: []

"""#,
        "composite/retail-standard": #"""
# A retail store: efficient HVAC, standard and backup electrical, enhanced security, seven-day trading hours.
# Retail floors run a degree cooler for customers in coats and lighting gains (ASHRAE 55 at 1.0 met, 0.5 clo).
name: composite/retail-standard
description: Retail store - efficient HVAC, backup power, enhanced security, 09:00-21:00 every day.
includes: [hvac/efficient, electrical/backup, security/enhanced]
parameters:
  occupiedCooling:
    type: quantity
    unit: °C
    default: 24 °C
    min: 22 °C
    max: 27 °C
  occupiedDays:
    type: string
    default: Mon-Sun
    values: [Mon-Fri, Mon-Sat, Mon-Sun]
  occupiedStart:
    type: time
    default: "08:30"
    min: "04:00"
    max: "12:00"
  occupiedEnd:
    type: time
    default: "21:30"
    min: "14:00"
    max: "24:00"
  unlockDays:
    type: string
    default: daily
    values: [weekdays, daily, Mon-Sat]
  unlockStart:
    type: time
    default: "09:00"
    min: "00:00"
    max: "12:00"
  unlockEnd:
    type: time
    default: "21:00"
    min: "12:00"
    max: "24:00"
rules: []

"""#,
        "electrical/backup": #"""
# Emergency and standby power: generator exercise and transfer, UPS self-tests, emergency lighting tests.
# Values: NFPA 110-2022 §8.4.2 (monthly exercise for at least 30 minutes at no less than 30 % of the nameplate kW
# rating, or the manufacturer's exhaust temperature), §4.3 (Type 10: power restored within 10 seconds), §8.4.2.3
# (annual load bank when monthly loading falls short); NFPA 101 §7.9.3 (emergency lighting: monthly 30-second test,
# annual 90-minute test); IEEE 446 (UPS practice).
name: electrical/backup
description: Generator exercise schedule, transfer time, UPS self-tests and emergency lighting tests.
includes: [electrical/standard]
parameters:
  exerciseDay:
    type: string
    default: first Tuesday
  exerciseStart:
    type: time
    default: "10:00"
    min: "06:00"
    max: "20:00"
  exerciseDuration:
    type: quantity
    unit: min
    default: 30 min           # NFPA 110 §8.4.2: at least 30 minutes
    min: 30 min
    max: 240 min
  exerciseLoad:
    type: quantity
    unit: "%"
    default: 30 %             # NFPA 110 §8.4.2: at least 30 % of nameplate kW
    min: 30 %
    max: 100 %
  transferTime:
    type: quantity
    unit: s
    default: 10 s             # NFPA 110 Type 10
    min: 1 s
    max: 120 s
  cooldown:
    type: quantity
    unit: min
    default: 5 min
    min: 0 min
    max: 30 min
rules:
  - name: generators
    select: "type = 'generator'"
    set:
      transferMode: automatic
      exerciseSchedule: monthly, ${exerciseDay} ${exerciseStart}
      exerciseDuration: ${exerciseDuration}
      exerciseLoad: ${exerciseLoad}
      transferTime: ${transferTime}
      cooldownTime: ${cooldown}
      loadBankTest: annual, 2 h at 50 % and 1 h at 75 % (NFPA 110 8.4.2.3)
  - name: UPS self-test
    select: "type = 'ups'"
    set:
      selfTestSchedule: monthly, ${exerciseDay} ${exerciseStart}
  - name: emergency lighting tests
    select: "type = 'lighting' and emergency = true"
    set:
      functionalTest: monthly, 30 s (NFPA 101 7.9.3)
      durationTest: annual, 90 min (NFPA 101 7.9.3)

"""#,
        "electrical/standard": #"""
# Standard electrical configuration: metering, continuous-load limits, maintenance intervals.
# Values: NFPA 70 (NEC) 2023 §210.20(A) (continuous loads at most 80 % of the breaker rating), NFPA 70B-2023
# (electrical maintenance, annual infrared inspection), utility 15-minute demand intervals (ANSI C12.20 metering).
name: electrical/standard
description: 15-minute demand metering, 80 % continuous-load limits on circuits, panel maintenance schedule.
parameters:
  demandInterval:
    type: quantity
    unit: min
    default: 15 min
    min: 5 min
    max: 60 min
  continuousLoadFraction:
    type: number
    default: 0.8              # NEC §210.20(A): 125 % sizing for continuous load, i.e. 80 % of the rating
    min: 0.5
    max: 1.0
  inspection:
    type: string
    default: annual infrared scan (NFPA 70B)
rules:
  - name: meters
    select: "type = 'meter'"
    set:
      demandInterval: ${demandInterval}
      trended: true
  - name: continuous-load limit of circuits
    select: "type = 'circuit'"
    set:
      continuousLoadLimit: ${continuousLoadFraction} * breakerRating
  - name: panels
    select: "type in ('elec_panel', 'transformer')"
    set:
      maintenanceSchedule: ${inspection}

"""#,
        "hvac/efficient": #"""
# Energy-efficient HVAC: the standard configuration with wider setpoints, lower VAV minimums, unoccupied setback,
# supply pressure and chilled-water resets.
# Values: ASHRAE 55-2020 (elevated-air-speed comfort zone reaches 26 °C and above), ASHRAE 90.1-2019 §6.4.3.3.2
# (setback), §6.5.3.2.3 (static pressure reset), §6.5.4.4 (chilled and hot water reset), ASHRAE Guideline 36-2021.
name: hvac/efficient
description: Standard HVAC with wider deadband, lower minimum airflow, unoccupied setback and resets.
includes: [hvac/standard]
parameters:
  occupiedCooling:
    type: quantity
    unit: °C
    default: 25 °C            # 77 °F
    min: 22 °C
    max: 27 °C
  deadband:
    type: quantity
    unit: Δ°C
    default: 4 Δ°C
    min: 2.8 Δ°C
    max: 6 Δ°C
  minAirflowFraction:
    type: number
    default: 0.2              # Guideline 36 minimums are often 15–25 % of maximum
    min: 0.1
    max: 0.6
  unoccupiedCooling:
    type: quantity
    unit: °C
    default: 29.5 °C          # 85 °F setup
    min: 26 °C
    max: 32 °C
  unoccupiedHeating:
    type: quantity
    unit: °C
    default: 15.5 °C          # 60 °F setback; 90.1 §6.4.3.3.2 asks for at least 55 °F capability
    min: 12.8 °C
    max: 18 °C
  chilledWaterSupply:
    type: quantity
    unit: °C
    default: 7.8 °C           # 46 °F, reset upward at part load
    min: 4 °C
    max: 10 °C
  staticPressure:
    type: quantity
    unit: inH₂O
    default: 1.0 inH₂O        # starting point of a trim-and-respond static pressure reset
    min: 0.5 inH₂O
    max: 2.5 inH₂O
rules:
  - name: unoccupied setback
    select: "type in ('vav', 'zone')"
    set:
      unoccupiedCoolingSetpoint: ${unoccupiedCooling}
      unoccupiedHeatingSetpoint: ${unoccupiedHeating}
  - name: static pressure reset
    select: "type = 'ahu'"
    set:
      supplyStaticSetpoint: ${staticPressure}
      staticPressureReset: trim and respond
  - name: variable-speed pumping
    select: "type = 'pump' and vfd = true"
    set:
      minSpeed: 30 %

"""#,
        "hvac/emergency": #"""
# Emergency HVAC operation for an infectious-disease outbreak or a smoke event outside the building: maximum
# outdoor air and filtration, building flush before and after occupancy, wider comfort band to keep capacity.
# Values: ASHRAE Epidemic Task Force core recommendations (2020; flush two hours before and after occupancy, disable
# demand-controlled ventilation, MERV 13 or better), ASHRAE Standard 241-2023 (control of infectious aerosols).
name: hvac/emergency
description: Outbreak mode - more outdoor air, higher VAV minimums, flushes around occupancy, MERV 13 filters.
parameters:
  occupiedCooling:
    type: quantity
    unit: °C
    default: 25.5 °C          # a wider band keeps capacity when outdoor air is raised
    min: 22 °C
    max: 27 °C
  deadband:
    type: quantity
    unit: Δ°C
    default: 4 Δ°C
    min: 2.8 Δ°C
    max: 6 Δ°C
  minAirflowFraction:
    type: number
    default: 0.5
    min: 0.3
    max: 1.0
  flushTime:
    type: quantity
    unit: h
    default: 2 h              # Epidemic Task Force: flush for 2 h before and after occupancy
    min: 1 h
    max: 4 h
  filter:
    type: string
    default: MERV 13
    values: [MERV 13, MERV 14, MERV 15, MERV 16, HEPA]
rules:
  - name: zone setpoints
    select: "type in ('vav', 'zone')"
    set:
      coolingSetpoint: ${occupiedCooling}
      heatingSetpoint: ${occupiedCooling} - ${deadband}
      zoneTempSetpoint: ${occupiedCooling} - ${deadband} / 2
  - name: VAV minimum airflow
    select: "type = 'vav'"
    set:
      minAirflow: ${minAirflowFraction} * maxAirflow
  - name: air handlers
    select: "type in ('ahu', 'rtu')"
    set:
      economizer: true
      demandControlledVentilation: false
      filterRating: ${filter}
      preOccupancyFlush: ${flushTime}
      postOccupancyFlush: ${flushTime}
  - name: exhaust fans
    select: "type = 'fan'"
    set:
      mode: continuous

"""#,
        "hvac/standard": #"""
# Standard HVAC configuration for occupied commercial space.
# Values: ASHRAE 55-2020 summer/winter comfort zones, ASHRAE 90.1-2019 §6.4.3.1.2 (a deadband of at least 5 °F / 2.8 °C
# between heating and cooling setpoints), ASHRAE Guideline 36-2021 (VAV minimums), ASHRAE 62.1 (ventilation).
name: hvac/standard
description: Occupied setpoints with a 90.1 deadband, VAV minimum airflow, supply air and plant setpoints, occupancy schedule.
parameters:
  occupiedCooling:
    type: quantity
    unit: °C
    default: 24 °C            # 75 °F, inside the ASHRAE 55 summer comfort zone at 0.5 clo
    min: 22 °C
    max: 27 °C
    description: occupied cooling setpoint
  deadband:
    type: quantity
    unit: Δ°C
    default: 3 Δ°C            # 90.1 §6.4.3.1.2 requires at least 2.8 Δ°C (5 Δ°F)
    min: 2.8 Δ°C
    max: 6 Δ°C
    description: heating setpoint = cooling setpoint − deadband
  minAirflowFraction:
    type: number
    default: 0.3              # a common design minimum; Guideline 36 computes it from the zone's 62.1 ventilation need
    min: 0.1
    max: 0.6
    description: VAV minimum airflow as a fraction of its maximum airflow
  supplyAirTemp:
    type: quantity
    unit: °C
    default: 13 °C            # 55 °F design supply air
    min: 10 °C
    max: 18 °C
  chilledWaterSupply:
    type: quantity
    unit: °C
    default: 6.7 °C           # 44 °F design chilled water supply
    min: 4 °C
    max: 10 °C
  occupiedDays:
    type: string
    default: Mon-Fri
    values: [Mon-Fri, Mon-Sat, Mon-Sun]
  occupiedStart:
    type: time
    default: "07:00"
    min: "04:00"
    max: "12:00"
  occupiedEnd:
    type: time
    default: "18:00"
    min: "14:00"
    max: "24:00"
  trendInterval:
    type: quantity
    unit: min
    default: 15 min
    min: 1 min
    max: 60 min
rules:
  - name: zone setpoints
    select: "type in ('vav', 'zone')"
    set:
      coolingSetpoint: ${occupiedCooling}
      heatingSetpoint: ${occupiedCooling} - ${deadband}
      zoneTempSetpoint: ${occupiedCooling} - ${deadband} / 2
      occupancySchedule: ${occupiedDays} ${occupiedStart}-${occupiedEnd}
  - name: VAV minimum airflow
    select: "type = 'vav'"
    set:
      minAirflow: ${minAirflowFraction} * maxAirflow
  - name: fan coil setpoints
    select: "type = 'fcu'"
    set:
      zoneTempSetpoint: ${occupiedCooling} - ${deadband} / 2
  - name: air handlers
    select: "type in ('ahu', 'rtu')"
    set:
      supplyAirTempSetpoint: ${supplyAirTemp}
      economizer: true        # 90.1 §6.5.1 air economizers
      occupancySchedule: ${occupiedDays} ${occupiedStart}-${occupiedEnd}
  - name: chillers
    select: "type = 'chiller'"
    set:
      chilledWaterSupplySetpoint: ${chilledWaterSupply}
  - name: trending of sensors
    select: "type = 'sensor' and fedBy->type in ('ahu', 'rtu', 'vav') or type = 'sensor' and partOf->type in ('ahu', 'rtu', 'vav')"
    set:
      trended: true
      trendInterval: ${trendInterval}

"""#,
        "security/basic": #"""
# Basic access control: business-hours unlock schedules, door alarms, fire release, camera recording.
# Values: NFPA 101-2021 §7.2.1.6.2 (electrically locked egress doors unlock on fire alarm), NFPA 72-2022 (fire alarm
# signalling that releases them), common access-control practice (30 s held-open alarm; UL 294).
name: security/basic
description: Door unlock schedules, held-open and forced-open alarms, fire release, 30-day camera retention.
parameters:
  unlockDays:
    type: string
    default: weekdays
    values: [weekdays, daily, Mon-Sat]
  unlockStart:
    type: time
    default: "07:00"
    min: "00:00"
    max: "12:00"
  unlockEnd:
    type: time
    default: "19:00"
    min: "12:00"
    max: "24:00"
  heldOpen:
    type: quantity
    unit: s
    default: 30 s
    min: 5 s
    max: 300 s
  retention:
    type: string
    default: 30 d
rules:
  - name: public doors
    select: "type = 'door' and not unlockSchedule = 'never'"
    set:
      unlockSchedule: ${unlockDays} ${unlockStart}-${unlockEnd}
  - name: door alarms and fire release
    select: "type = 'door'"
    set:
      heldOpenAlarm: ${heldOpen}
      forcedOpenAlarm: true
      fireRelease: true       # NFPA 101 §7.2.1.6.2, on the NFPA 72 fire alarm signal
  - name: readers
    select: "type = 'access_reader'"
    set:
      schedule: ${unlockDays} ${unlockStart}-${unlockEnd}
  - name: cameras
    select: "type = 'camera'"
    set:
      retention: ${retention}
      recording: motion

"""#,
        "security/enhanced": #"""
# Enhanced access control: basic security plus PIN at restricted rooms, shorter alarms, continuous recording and
# longer retention, after-hours arming.
# Values: NFPA 101-2021 §7.2.1.6.2 (fire release), UL 294 / UL 2050 practice, 90-day retention as commonly required
# for retail and banking (PCI DSS 9.1.1 asks for three months of entry records).
name: security/enhanced
description: Basic security with PIN at restricted rooms, 15 s held-open alarm, continuous 90-day recording, after-hours arming.
includes: [security/basic]
parameters:
  heldOpen:
    type: quantity
    unit: s
    default: 15 s
    min: 5 s
    max: 300 s
  retention:
    type: string
    default: 90 d
  armStart:
    type: time
    default: "22:00"
    min: "17:00"
    max: "24:00"
  armEnd:
    type: time
    default: "06:00"
    min: "00:00"
    max: "09:00"
rules:
  - name: restricted rooms need a PIN
    select: "type = 'door' and location->restricted = true"
    set:
      requiresPin: true
      unlockSchedule: never
  - name: continuous recording
    select: "type = 'camera'"
    set:
      recording: continuous
  - name: intrusion panels
    select: "type = 'alarm_panel'"
    set:
      armSchedule: daily ${armStart}-${armEnd}

"""#,
    ]
}
