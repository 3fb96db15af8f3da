package io.cwbridge.mapping;

/** Status of a customer, product or subscription in the workbench (SPEC 3). */
public enum MappingStatus { MAPPED, UNMAPPED, FAILED }
