using System;
using System.Management.Automation;
using DanePS.Engine.Tls;

namespace DanePS;

/// <summary>
/// Lets -StartTls take "None", the name implicit TLS had before 0.1 (now ImplicitTls), so scripts written for it
/// keep working; every other value binds as the enum does.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class StartTlsTransformationAttribute : ArgumentTransformationAttribute
{
    /// <inheritdoc />
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        var input = inputData is PSObject pso ? pso.BaseObject : inputData;
        return input is string text && string.Equals(text.Trim(), "None", StringComparison.OrdinalIgnoreCase)
            ? StartTlsProtocol.ImplicitTls
            : inputData;
    }
}
