using System;
using System.Globalization;
using System.Management.Automation;

namespace DanePS;

/// <summary>
/// Lets -Interval take seconds (300) as well as a TimeSpan ('00:05:00', (New-TimeSpan -Minutes 5)): PowerShell
/// alone would make a number a count of 100-nanosecond ticks.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class IntervalTransformationAttribute : ArgumentTransformationAttribute
{
    /// <inheritdoc />
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        var input = inputData is PSObject pso ? pso.BaseObject : inputData;
        return input switch
        {
            int or long or short or byte or double or float or decimal => TimeSpan.FromSeconds(Convert.ToDouble(input, CultureInfo.InvariantCulture)),
            string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) => TimeSpan.FromSeconds(seconds),
            _ => inputData,
        };
    }
}
