/// The type table as shipped in the binary: YAML read by `TypeTable.standard` through `ValueReader`.
///
/// The format (documented in docs/model.md, "The type table"):
///
/// - `common.fields` and `common.properties` apply to every type (a type's own entry for a name wins);
///   `common.fields` are top-level fields of an object, `properties` the names inside its `properties` map.
/// - `types` maps each arxos type to `brick` (a Brick class), `haystack` (its Haystack markers), a one-line `summary`,
///   optionally `strict: true` (every field of the type is strict), and `properties`.
/// - A property's spec is a kind, or a map `{kind: KIND, strict: true, required: true}`. A kind is `boolean`, `date`
///   (`YYYY-MM-DD`), `string`, `ref` (the id of another object), `number` (a plain number), `integer`, or a
///   quantity dimension from the unit table (`airflow`, `temperature`, …); `power|apparentPower` accepts either.
///
/// Brick classes are those of Brick 1.3 (the names the models in shared/data use where they use them); Haystack
/// markers are Haystack 4 tags.
let typeTableYAML = #"""
common:
  fields:
    name: string
    installDate: date
    expectedLifeYears: number
    manufacturer: string
    model: string
    serialNumber: string
  properties:
    smokeControlMode: {kind: string, strict: true}
    fireAlarmMode: {kind: string, strict: true}
    fireRelease: {kind: boolean, strict: true}
    fireShutdown: {kind: boolean, strict: true}
    lifeSafetyOverride: {kind: string, strict: true}

types:
  site:
    summary: A campus or group of buildings
    brick: brick:Site
    haystack: [site]
  building:
    summary: A building
    brick: brick:Building
    haystack: [site]
    properties:
      grossArea: area
      floorCount: integer
      yearBuilt: integer
  floor:
    summary: A storey of a building
    brick: brick:Floor
    haystack: [space, floor]
    properties:
      level: integer
      area: area
  room:
    summary: A room
    brick: brick:Room
    haystack: [space, room]
    properties:
      area: area
      occupancy: integer
      ceilingHeight: length
      restricted: boolean
  space:
    summary: Any other space (corridor, shaft, outdoor area)
    brick: brick:Space
    haystack: [space]
    properties:
      area: area
  zone:
    summary: An HVAC zone, a group of spaces served together
    brick: brick:HVAC_Zone
    haystack: [space, zone, hvac]
    properties:
      area: area
      zoneTempSetpoint: temperature
      heatingSetpoint: temperature
      coolingSetpoint: temperature
  ahu:
    summary: Air handling unit
    brick: brick:AHU
    haystack: [equip, ahu, air]
    properties:
      designAirflow: airflow
      minOutsideAir: airflow
      supplyFanPower: power
      supplyStaticSetpoint: pressure
      supplyAirTempSetpoint: temperature
      economizer: boolean
  rtu:
    summary: Rooftop unit (a packaged air handler)
    brick: brick:Rooftop_Unit
    haystack: [equip, ahu, rtu, air]
    properties:
      designAirflow: airflow
      coolingCapacity: power
      heatingCapacity: power
      supplyAirTempSetpoint: temperature
      economizer: boolean
  fcu:
    summary: Fan coil unit
    brick: brick:Fan_Coil_Unit
    haystack: [equip, fcu, air]
    properties:
      designAirflow: airflow
      zoneTempSetpoint: temperature
  vav:
    summary: Variable air volume terminal box
    brick: brick:VAV
    haystack: [equip, vav, air]
    properties:
      minAirflow: airflow
      maxAirflow: airflow
      zoneTempSetpoint: temperature
      heatingSetpoint: temperature
      coolingSetpoint: temperature
      reheatCapacity: power
      occupied: boolean
  chiller:
    summary: Chiller
    brick: brick:Chiller
    haystack: [equip, chiller]
    properties:
      capacity: power
      chilledWaterSupplySetpoint: temperature
      chilledWaterReturnDesign: temperature
      enabled: boolean
  boiler:
    summary: Boiler
    brick: brick:Boiler
    haystack: [equip, boiler]
    properties:
      capacity: power
      hotWaterSupplySetpoint: temperature
      outdoorResetHigh: temperature
      outdoorResetLow: temperature
      efficiency: ratio
      enabled: boolean
  pump:
    summary: Pump
    brick: brick:Pump
    haystack: [equip, pump]
    properties:
      designFlow: flow
      designHead: pressure
      motorPower: power
      minSpeed: ratio
      vfd: boolean
  fan:
    summary: Fan
    brick: brick:Fan
    haystack: [equip, fan, motor]
    properties:
      designAirflow: airflow
      motorPower: power
      staticPressure: pressure
  cooling_tower:
    summary: Cooling tower
    brick: brick:Cooling_Tower
    haystack: [equip, coolingTower]
    properties:
      capacity: power
      condenserWaterSupplySetpoint: temperature
      fanPower: power
  heat_exchanger:
    summary: Heat exchanger
    brick: brick:Heat_Exchanger
    haystack: [equip, heatExchanger]
    properties:
      capacity: power
      approach: temperatureDifference
  damper:
    summary: Damper
    brick: brick:Damper
    haystack: [equip, damper, actuator]
    properties:
      minPosition: ratio
      normallyOpen: boolean
  fire_damper:
    summary: Fire damper (life safety; every field is strict)
    brick: brick:Fire_Damper
    haystack: [equip, damper, fire]
    strict: true
    properties:
      fusibleLinkTemp: temperature
      testDate: date
  smoke_damper:
    summary: Smoke damper (life safety; every field is strict)
    brick: brick:Smoke_Damper
    haystack: [equip, damper, smoke]
    strict: true
    properties:
      testDate: date
  smoke_control:
    summary: Smoke control system (life safety; every field is strict)
    brick: brick:Smoke_Control_System
    haystack: [equip, smoke, control]
    strict: true
    properties:
      pressurization: pressure
      testDate: date
  valve:
    summary: Valve
    brick: brick:Valve
    haystack: [equip, valve, actuator]
    properties:
      size: length
      flowCoefficient: number
      normallyOpen: boolean
  coil:
    summary: Heating or cooling coil
    brick: brick:Coil
    haystack: [equip, coil]
    properties:
      capacity: power
  elec_panel:
    summary: Electrical distribution panel (panelboard)
    brick: brick:Breaker_Panel
    haystack: [equip, elec, panel]
    properties:
      rating: {kind: current, required: true}
      voltage: voltage
      phases: integer
      spaces: integer
      mainBreaker: boolean
      shortCircuitRating: current
      connectedLoad: current|power|apparentPower
  circuit:
    summary: Branch circuit of a panel
    brick: brick:Electrical_Circuit
    haystack: [equip, elec, circuit]
    properties:
      breakerRating: current
      connectedLoad: current|power|apparentPower
      voltage: voltage
      poles: integer
      circuitNumber: integer
  meter:
    summary: Meter (electricity, gas, water, thermal energy)
    brick: brick:Meter
    haystack: [equip, meter]
    properties:
      peakDemand: power
      voltage: voltage
      demandInterval: time
  transformer:
    summary: Transformer
    brick: brick:Transformer
    haystack: [equip, elec, transformer]
    properties:
      rating: apparentPower
      primaryVoltage: voltage
      secondaryVoltage: voltage
      impedance: ratio
  generator:
    summary: Standby or prime generator
    brick: brick:Generator
    haystack: [equip, elec, generator]
    properties:
      rating: power|apparentPower
      voltage: voltage
      fuel: string
      runtime: time
      transferMode: {kind: string, strict: true}
  ups:
    summary: Uninterruptible power supply
    brick: brick:Uninterruptible_Power_Supply
    haystack: [equip, elec, ups]
    properties:
      rating: power|apparentPower
      runtime: time
      voltage: voltage
  lighting:
    summary: Lighting fixture or lighting group
    brick: brick:Lighting
    haystack: [equip, light]
    properties:
      power: power
      dimmable: boolean
      emergency: {kind: boolean, strict: true}
  door:
    summary: Access-controlled door
    brick: brick:Door
    haystack: [equip, door]
    properties:
      schedule: {kind: string, strict: true}
      unlockSchedule: {kind: string, strict: true}
      heldOpenAlarm: time
      forcedOpenAlarm: boolean
      requiresPin: boolean
  access_reader:
    summary: Card or credential reader
    brick: brick:Access_Reader
    haystack: [equip, access, reader]
    properties:
      schedule: {kind: string, strict: true}
      unlockSchedule: {kind: string, strict: true}
      accessLevels: {kind: string, strict: true}
      door: ref
  camera:
    summary: Surveillance camera
    brick: brick:Camera
    haystack: [equip, camera]
    properties:
      ptz: boolean
  alarm_panel:
    summary: Fire or intrusion alarm control panel
    brick: brick:Fire_Alarm_Control_Panel
    haystack: [equip, alarm, panel]
    properties:
      armSchedule: {kind: string, strict: true}
      zones: integer
  sensor:
    summary: Sensor point
    brick: brick:Sensor
    haystack: [point, sensor]
    properties:
      trended: boolean
      trendInterval: time
  setpoint:
    summary: Setpoint
    brick: brick:Setpoint
    haystack: [point, sp]
    properties:
      trended: boolean
      trendInterval: time
  command:
    summary: Command point
    brick: brick:Command
    haystack: [point, cmd]
    properties:
      trended: boolean
  point:
    summary: Any other point
    brick: brick:Point
    haystack: [point]
    properties:
      trended: boolean
      trendInterval: time
  equipment:
    summary: Equipment of no more specific type
    brick: brick:Equipment
    haystack: [equip]
"""#
